"""What the reading room's pages show, shaped for templates that hold little logic.

Views hand these modules a request's (cleaned) parameters, a FilterSet and a search
outcome; the modules return plain dataclasses with labels, URLs and escaped, highlighted
text ready to print.
"""
