"""Python checks: the rule kind for what token and dependency patterns cannot express.

A rule file of ``kind: python`` names a function here (``check: module:function``).  The
function receives a :class:`~editor.checks.base.CheckContext` and the rule's ``options`` and
yields :class:`~editor.checks.base.Hit` objects in *unit* coordinates (character offsets into
``unit.doc.text``).  The engine maps them to source offsets, drops hits on masked text and turns
them into Findings; checks never build Findings themselves.
"""
