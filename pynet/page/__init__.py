"""The page's backend: the requests the web page sends (through
``pynet.facade``), answered from one :class:`~pynet.page.state.State`.
It imports the engine (``pynet``); the engine never imports it.

Reading order: ``requests`` (every request, its table), ``state`` (the
session and its transaction), then one module per group of requests:
``session``, ``training``, ``data``, ``model_files``, ``panel``,
``recovery``, ``compare``; helpers: ``settings`` (the declarative table of
settings), ``spec``, ``tabular``, ``snippet``, ``values``.
"""
