from django.db import connection, models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class ContentVersion(models.Model):
    """One counter that every write to a record changes; cached public pages key on it.

    It lives in the database, not in the cache, so that every app process sees a
    change at once and no process serves a page older than the data. Database
    triggers (`content_triggers`) change it, so no write can skip it: not
    `QuerySet.update()`, not a bulk admin action, not `loaddata`, not raw SQL.
    """

    SINGLETON_PK = 1

    counter = models.PositiveBigIntegerField(_("counter"), default=0)

    class Meta:
        # The table was created by the `cooperation` app, before `reporting` existed.
        db_table = "cooperation_contentversion"
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")

    def __str__(self):
        return str(self.counter)

    @classmethod
    def bump(cls):
        if not cls.objects.filter(pk=cls.SINGLETON_PK).update(counter=F("counter") + 1):
            cls.objects.get_or_create(pk=cls.SINGLETON_PK, defaults={"counter": 1})

    @classmethod
    def read(cls):
        """The counter, in plain SQL: a cached page's only query, so it stays cheap.

        The ORM would spend longer building this query than the database spends
        answering it.
        """
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT counter FROM {table} WHERE id = %s", [cls.SINGLETON_PK]
            )
            row = cursor.fetchone()
        return row[0] if row else 0
