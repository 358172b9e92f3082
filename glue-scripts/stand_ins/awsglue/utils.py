"""getResolvedOptions as Glue documents it: `--name value` pairs, every named option required."""


class GlueArgumentError(Exception):
    pass


def getResolvedOptions(args, options):  # noqa: N802 (Glue's name)
    values = {}
    for index, token in enumerate(args):
        if token.startswith("--") and index + 1 < len(args):
            values.setdefault(token[2:], args[index + 1])
    missing = [name for name in options if name not in values]
    if missing:
        raise GlueArgumentError("the following arguments are required: " + ", ".join("--" + name for name in missing))
    return {name: values[name] for name in options}
