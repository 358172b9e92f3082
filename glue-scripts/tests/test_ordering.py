"""The two uses of a table's order agree: the row ROW_NUMBER ranks first among copies of a key is
the row MERGE's condition lets replace any other copy. Checked on random copies with NULLs and
ties, for every precedence the sample config declares and a few more."""
import itertools
import random

import pytest
from lakeworks_curation.conformed import keep_winners
from lakeworks_curation.ordering import total_order, wins_sql
from lakeworks_curation.spec import TableSpec


def spec_with(precedence):
    return TableSpec.parse({
        "version": 1, "layer": "conformed", "table": "t", "source": "s", "sourceRuleset": "", "tableRuleset": "",
        "columns": [{"name": "k", "type": "string", "nullable": False}, {"name": "a", "type": "int", "nullable": True},
                    {"name": "b", "type": "string", "nullable": True}, {"name": "ingested_at", "type": "timestamp", "nullable": False}],
        "primaryKey": ["k"], "partitionedBy": [], "precedence": precedence,
    })


PRECEDENCES = [
    ["ingested_at DESC NULLS LAST"],
    ["a DESC NULLS LAST", "ingested_at DESC NULLS LAST"],
    ["a ASC NULLS FIRST"],
    ["b DESC NULLS FIRST", "a ASC NULLS LAST"],
]


@pytest.mark.parametrize("precedence", PRECEDENCES)
def test_merge_condition_and_row_number_pick_the_same_winner(spark, precedence):
    spec = spec_with(precedence)
    rng = random.Random(7)
    from datetime import datetime
    copies = [(("k", rng.choice([None, 1, 2]), rng.choice([None, "x", "y"]), datetime(2024, 1, rng.randint(1, 2)))) for _ in range(14)]
    frame = spark.createDataFrame(copies, "k string, a int, b string, ingested_at timestamp")
    winner = keep_winners(frame, spec).collect()
    assert len(winner) == 1
    # Pairwise: the winner beats or equals every copy, and no copy beats it.
    pairs = spark.createDataFrame([tuple(s) + tuple(t) for s, t in itertools.product(copies, repeat=2)],
                                  "s_k string, s_a int, s_b string, s_ingested_at timestamp, t_k string, t_a int, t_b string, t_ingested_at timestamp")
    pairs.createOrReplaceTempView("pairs")
    condition = wins_sql(total_order(spec)).replace("s.`", "`s_").replace("t.`", "`t_")
    beats = {(tuple(r[:4]), tuple(r[4:])) for r in spark.sql("SELECT * FROM pairs WHERE {}".format(condition)).collect()}
    best = tuple(winner[0])
    assert not any(t == best for _, t in beats if _ != best), "a copy beats the row ROW_NUMBER ranked first"
    assert all((best, other) in beats for other in set(copies) if other != best)
    # A strict order: no row beats itself, and of two distinct rows exactly one beats the other.
    for s, t in itertools.product(set(copies), repeat=2):
        assert ((s, t) in beats) + ((t, s) in beats) == (0 if s == t else 1)
