"""argparse in Dutch: the words the `wijkbot` command uses for wrong usage, help and its options.

argparse looks its messages up through its module's `_` (gettext) each time it speaks; `install` points that at
this table, for the `wijkbot` process only (a command line tool owns its process). A message the table does not
know stays as argparse wrote it, so a newer Python with new messages degrades to English, never to an error.
Exit code 2 for wrong usage, as argparse has it.
"""

from __future__ import annotations

import argparse

DUTCH = {
    "usage: ": "gebruik: ",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "the following arguments are required: %s": "dit ontbreekt nog: %s",
    # (%(type)s is a Python name, "int" or a function's: no word for a beheerder; --help says what is expected)
    "invalid %(type)s value: %(value)r": "%(value)r is hier geen geldige waarde (zie --help)",
    "invalid choice: %(value)r (choose from %(choices)s)": "%(value)r kan niet; kies uit %(choices)s",
    "unrecognized arguments: %s": "onbekend: %s",
    "expected one argument": "hier hoort een waarde achter",
    "expected at least one argument": "hier hoort minstens een waarde achter",
    "expected at most one argument": "hier hoort hoogstens een waarde achter",
    "ambiguous option: %(option)s could match %(matches)s": "%(option)s is niet eenduidig: bedoelt u %(matches)s?",
    "not allowed with argument %s": "gaat niet samen met %s",
    "one of the arguments %s is required": "een van deze is nodig: %s",
    "show this help message and exit": "toon deze hulp en stop",
    "options": "opties",
    "positional arguments": "argumenten",
    "can't open '%(filename)s': %(error)s": "kan '%(filename)s' niet openen: %(error)s",
}


def _dutch(message: str) -> str:
    return DUTCH.get(message, message)


def install() -> None:
    """Let argparse speak Dutch in this process."""
    argparse._ = _dutch  # type: ignore[attr-defined]
