"""From the index-based results of the pure analysis modules to the typed sections.

One module per section (or a few related ones); each function takes the
:class:`~accord.analysis.assemble.context.Prepared` case and returns section objects
with case ids.  This is the only place indices become ids again.
"""
