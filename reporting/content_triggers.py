"""Database triggers that change the content version on every write to a record.

Django's signals miss `QuerySet.update()`, `bulk_create()`, raw SQL and anything a
second program does to the database; a trigger misses nothing. The triggers are
(re)installed after every `migrate`, for every table of the record apps, so a model
added later is covered without anyone remembering to.

SQLite runs a trigger per row (it has no statement triggers); PostgreSQL runs one
per statement, so a bulk update of a thousand rows changes the counter once.
"""

from django.apps import apps
from django.db import connections

from cooperation.history import is_historical_model

from .models import ContentVersion

RECORD_APPS = ("cooperation", "exchanges", "programs")
TRIGGER_PREFIX = "content_changed_"
SQLITE_EVENTS = ("INSERT", "UPDATE", "DELETE")


def record_tables():
    """Every table of the record apps, many-to-many tables included.

    The history tables are left out: a history row is written only beside a write
    to its record's table, whose trigger has already changed the version.
    """
    tables = set()
    for label in RECORD_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if is_historical_model(model):
                continue
            if model._meta.managed and not model._meta.proxy:
                tables.add(model._meta.db_table)
    return sorted(tables)


def _bump_statement(quote):
    table = quote(ContentVersion._meta.db_table)
    row = ContentVersion.SINGLETON_PK
    return f"UPDATE {table} SET counter = counter + 1 WHERE id = {row}"


def _install_sqlite(cursor, quote, tables):
    bump = _bump_statement(quote)
    for table in tables:
        for event in SQLITE_EVENTS:
            name = quote(f"{TRIGGER_PREFIX}{table}_{event.lower()}")
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {quote(table)} "
                f"FOR EACH ROW BEGIN {bump}; END"
            )


def _install_postgresql(cursor, quote, tables):
    function = f"{TRIGGER_PREFIX}bump"
    cursor.execute(
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$ "
        f"BEGIN {_bump_statement(quote)}; RETURN NULL; END; $$ LANGUAGE plpgsql"
    )
    for table in tables:
        name = quote(f"{TRIGGER_PREFIX}{table}")
        cursor.execute(
            f"CREATE OR REPLACE TRIGGER {name} "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quote(table)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )


INSTALLERS = {"sqlite": _install_sqlite, "postgresql": _install_postgresql}


def content_triggers_install(*, using="default", **kwargs):
    """Install the triggers on database `using`; a no-op where they exist already.

    Connected to `post_migrate`, so it runs after every `migrate` and test setup.
    """
    connection = connections[using]
    install = INSTALLERS.get(connection.vendor)
    if install is None:
        raise NotImplementedError(
            f"No content-version triggers for {connection.vendor}: public pages "
            "would stay cached after a change."
        )
    ContentVersion.objects.using(using).get_or_create(pk=ContentVersion.SINGLETON_PK)
    with connection.cursor() as cursor:
        install(cursor, connection.ops.quote_name, record_tables())
