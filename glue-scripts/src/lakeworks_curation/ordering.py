"""Which copy of a key wins, expressed once and used twice: to keep one row per key among the rows a
run reads (ROW_NUMBER), and to decide whether a row replaces the one the table holds (MERGE).

The order is the table's precedence followed by every column (ascending, NULLs first), a total
order on distinct rows: the winner of a key is the same whichever run saw which copy first, so a
week of incremental runs and one backfill of the same deliveries give the same table.
"""
from lakeworks_curation.spec import OrderTerm


def total_order(spec):
    terms = list(spec.precedence)
    named = {term.column for term in terms}
    terms += [OrderTerm(name, descending=False, nulls_first=True) for name in spec.column_names if name not in named]
    return terms


def order_by_sql(terms, qualifier=""):
    return ", ".join(term.sql(qualifier) for term in terms)


def _better(term, new, old):
    """SQL that is true when `new`'s value comes before `old`'s under the term (never NULL)."""
    a, b = "{}.`{}`".format(new, term.column), "{}.`{}`".format(old, term.column)
    null_first = "({a} IS NULL AND {b} IS NOT NULL)".format(a=a, b=b)
    null_last = "({a} IS NOT NULL AND {b} IS NULL)".format(a=a, b=b)
    nulls = null_first if term.nulls_first else null_last
    compare = "coalesce({} {} {}, false)".format(a, ">" if term.descending else "<", b)
    return "({} OR {})".format(nulls, compare)


def wins_sql(terms, new="s", old="t"):
    """True when row `new` comes strictly before row `old` in the order: it replaces it."""
    expression = "false"
    for term in reversed(terms):
        same = "({}.`{c}` <=> {}.`{c}`)".format(new, old, c=term.column)
        expression = "({} OR ({} AND {}))".format(_better(term, new, old), same, expression)
    return expression
