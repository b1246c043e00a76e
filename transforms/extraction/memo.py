"""Memoising what extraction builds from an input object (the reference frames, the
gazetteer, the lexicon): once per process and object, not once per article."""

from __future__ import annotations

import functools
import threading


def per_object(build):
    """``build(obj)`` computed once per object. Keyed by identity, so unhashable inputs
    (polars frames, dataclasses holding them) work; the object is kept with its value,
    so its id cannot be reused by another object while the entry lives. Built under a
    lock: two threads never build the same thing twice."""
    cache: dict[int, tuple[object, object]] = {}
    lock = threading.Lock()

    @functools.wraps(build)
    def get(obj):
        hit = cache.get(id(obj))
        if hit is not None and hit[0] is obj:
            return hit[1]
        with lock:
            hit = cache.get(id(obj))
            if hit is None or hit[0] is not obj:
                hit = cache[id(obj)] = (obj, build(obj))
            return hit[1]

    return get
