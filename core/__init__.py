"""The bottom layer every other may import: the Persian script's tables (``core.script``)
and the seeds folder with its readers (``core.seeds``). Standard library and polars only;
nothing else of ours (tests/test_layers.py)."""
