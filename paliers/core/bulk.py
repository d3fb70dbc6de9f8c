"""Writing many rows at once, below the ORM: for generated data and rebuilt aggregates.

bulk_create spends tens of microseconds a row preparing values: minutes for the millions of
rows of a national dataset, against seconds here (COPY on PostgreSQL, executemany on SQLite).
"""

from django.db import connection

BATCH = 50_000
# From this many rows written at once, a table's statistics are refreshed (refresh_statistics).
MANY_ROWS = 1_000


def insert_rows(model, columns, rows):
    """INSERT rows (tuples of `columns`, attribute names, values ready for the database)."""
    quote, meta = connection.ops.quote_name, model._meta
    names = ", ".join(quote(meta.get_field(column).column) for column in columns)
    table = quote(meta.db_table)
    # Names come from the models' metadata, values go as parameters: nothing to inject.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # psycopg binds row by row otherwise
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def refresh_statistics(*models):
    """Give the query planner the statistics of the rows just written in bulk (of `models`'
    tables, or of every table).

    PostgreSQL's autovacuum analyzes a table only after the commit and its next round:
    meanwhile it plans queries as if the new rows were not there — nested loops over
    tens of thousands of answers, minutes instead of milliseconds (seen in the test suite
    right after the demo was generated). ANALYZE inside the writing transaction sees its
    own rows. SQLite's planner gains its sqlite_stat1 table the same way."""
    tables = [connection.ops.quote_name(model._meta.db_table) for model in models]
    with connection.cursor() as cursor:
        if not tables:
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        else:  # SQLite analyzes one table at a time
            for table in tables:
                cursor.execute(f"ANALYZE {table}")
