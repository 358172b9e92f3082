"""A SQL result must be the table's declared schema, column for column, before anything is written."""


class SchemaMismatch(ValueError):
    pass


def check_result_schema(result, spec, sql_file=None):
    declared = [(c.name, c.spark_type.simpleString()) for c in spec.columns]
    returned = [(field.name, field.dataType.simpleString()) for field in result.schema.fields]
    if declared == returned:
        return
    problems = []
    declared_types, returned_types = dict(declared), dict(returned)
    for name, type_ in declared:
        if name not in returned_types:
            problems.append("{} is declared ({}) but the SQL does not return it".format(name, type_))
        elif returned_types[name] != type_:
            problems.append("{}: the SQL returns {}, the table declares {} (CAST it in the SQL)".format(name, returned_types[name], type_))
    for name, type_ in returned:
        if name not in declared_types:
            problems.append("{} ({}) is returned but not declared".format(name, type_))
    if not problems:
        problems.append("columns in order {}; declared {}".format([n for n, _ in returned], [n for n, _ in declared]))
    raise SchemaMismatch("{}.{}{}: the SQL result does not match the declared columns: {}".format(
        spec.layer, spec.table, " ({})".format(sql_file) if sql_file else "", "; ".join(problems)))
