"""Reading the Acts' texts (Akoma Ntoso XML) to build and check the law table."""
