"""Tracker connectors: a case's actions as issues in GitHub Issues, Jira Cloud or Linear.

Each action is created once as an issue (the tracker's id is stored per action, and a retry
whose first answer never arrived finds the issue it made instead of making another); done
issues are polled back and mark their action done in the case as a new revision; the
decision record is published as Markdown on ``decision.recorded``.  ``base`` is the shape
every tracker has, ``github``/``jira``/``linear`` speak each API, ``vault`` keeps tokens
encrypted, ``sync`` runs it all off the request path.  See docs/connectors/.
"""
