"""A copy of the sample config with one LoB file's text changed, for tests that need a variant."""
import os
import shutil

from local.spark_session import REPOSITORY


def copy_with(target, lob, change):
    shutil.copytree(os.path.join(REPOSITORY, "config"), str(target))
    path = os.path.join(str(target), "lobs", lob + ".yaml")
    original = open(path, encoding="utf-8").read()
    changed = change(original)
    assert changed != original, "the change did not apply"
    open(path, "w", encoding="utf-8").write(changed)
    return target
