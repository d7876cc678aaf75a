"""The weekly digest's figures, computed from plain facts: pure, so every figure is testable with literals.

`facts` are the rows the storage layer reads for one wijk and week; `summarise` turns them into a `Digest`
(numbers, never text); the rendering packages decide how it reads.
"""
