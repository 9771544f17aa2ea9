"""The person index (issue 13): records of persons in criminal roles from every pillar, linked into persons, searched under the privacy rules of the gateway."""
