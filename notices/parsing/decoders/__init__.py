"""One module per file format, each turning bytes into a DecodedDocument for decode.py."""
