"""The bottom layer every other may import: the Persian script's tables (``core.script``),
the seeds folder with its readers (``core.seeds``), tables kept on disk between processes
(``core.tables``), the cycle collector's pause (``core.collector``) and the import of
compiled transforms modules (``core.compiled``). Standard library
and polars only; nothing else of ours (tests/test_layers.py)."""
