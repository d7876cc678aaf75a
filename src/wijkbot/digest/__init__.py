"""How the weekly digest reads: links to the inbox, the SVG chart, the document, its HTML, text and e-mail forms.

No database and no network here: the service hands in a `Digest` (domain figures) and gets strings back.
"""
