"""The canonical crime-and-criminal model of the ICJS gateway.

Pure Python and pydantic: identifiers, entities, lifecycle events and the case
status projection. Imports nothing else of this project and no I/O library.
"""
