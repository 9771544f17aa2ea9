"""The command line: `icjs` and its sub-commands, the demo and the scenario it plays."""
