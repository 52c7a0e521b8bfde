"""`make bench`: the public pages at realistic volume, in-process and under load.

Volume (issue "progress pages"): one agreement of 6 years with 200 programmes,
5,000 distributions (one in ten reported jointly for two neighbouring districts)
and 25,000 item lines in 12 districts, plus 20 other agreements, all made with the
test factories. Then:

1. in-process: Django's test client, warm, the median of many requests for the
   agreement page and the busiest year page, with their query counts;
2. the annual report of the busiest year in each format: build + render time;
3. under load: gunicorn with 2 workers serves the same database with production
   settings; wrk (a bounded load tool: fixed connections and duration) measures
   requests per second for the year page and for a trivial template page
   (`/health/`), and the ratio of the two;
4. the report's renderers: each format's peak memory, as Python allocations
   (tracemalloc) and as resident memory in a fresh process, and DOCX against PDF
   time;
5. a visit purpose of one 40,000-character word, without a space, rendered as PDF
   and DOCX against the same report without it, each render in a fresh process
   stopped after BENCH_RENDER_LIMIT seconds (120);
6. the computed year page of a year with 500 and with 5,000 distributions.

Run it with `make bench`; it prints the figures the README quotes. The database is
a throwaway SQLite file in var/bench/ unless BENCH_DATABASE_URL is given.
"""

import datetime
import gc
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
# Reports are built "as of" a fixed day, so the figures do not move with the date.
TODAY = datetime.date(2026, 11, 28)
FORMATS = ("pdf", "docx", "xlsx", "csv")
# A render that takes longer is stopped: the bench reports it and goes on.
RENDER_LIMIT = int(os.environ.get("BENCH_RENDER_LIMIT", "120"))
# One word, no space to break at: a pasted URL or a run of characters in a script
# written without spaces (Lao is) reaches the same line-breaking code.
LONG_WORD = ("Attapeu" * 6_000)[:40_000]

SETTINGS = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-only-secret-key-not-for-production-0123456789abcdef",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "DATABASE_URL": os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{WORK / 'db.sqlite3'}"
    ),
    "STATIC_ROOT": str(WORK / "static"),
    "MEDIA_ROOT": str(WORK / "media"),
    "ENV_FILE": os.devnull,
}


def districts_of_a_distribution(rng, districts):
    """Mostly one district; one in ten reported jointly with the next district.

    A joint figure is the exception in practice (the demo's 2022 gifts are one),
    and joint reports are between neighbours, not any two districts at random.
    """
    index = rng.randrange(len(districts))
    if rng.random() < 0.1:
        return [districts[index], districts[(index + 1) % len(districts)]]
    return [districts[index]]


def commitments_create(agreement):
    """The six commitments of the real memorandum, with its targets."""
    from cooperation.models import Commitment
    from tests import factories

    kinds = [
        (Commitment.Kind.YEARLY_EXCHANGE, 1, 1, True),
        (Commitment.Kind.VISITS_ON_REQUEST, None, None, False),
        (Commitment.Kind.INFORMATION_SHARING, None, None, False),
        (Commitment.Kind.JOINT_PROGRAMMES, 1, 2, False),
        (Commitment.Kind.DISEASE_PREVENTION, None, None, False),
        (Commitment.Kind.RESULTS_EXCHANGE, 1, 1, False),
    ]
    for ordinal, (kind, low, high, rotation) in enumerate(kinds, start=1):
        factories.CommitmentFactory(
            agreement=agreement,
            ordinal=ordinal,
            kind=kind,
            yearly_target_min=low,
            yearly_target_max=high,
            host_rotation=rotation,
        )


def exchanges_create(agreement, years):
    """Each year: the yearly visit, its delegation of five, and the information
    exchange; the parties take turns to send."""
    from tests import factories

    first, second = [p.organisation for p in agreement.party_signatures.all()]
    for year in years:
        sender, host = (first, second) if year % 2 else (second, first)
        visit = factories.DelegationVisitFactory(
            agreement=agreement,
            start_date=datetime.date(year, 9, 20),
            sending_party=sender,
            host_party=host,
        )
        factories.VisitMemberFactory.create_batch(5, visit=visit)
        factories.VisitAttachmentFactory(visit=visit)
        factories.InformationExchangeFactory(
            agreement=agreement, year_covered=year, covers_disease_situation=True
        )


def distributions_create(rng, programmes, count, districts, item_kinds):
    """`count` distributions spread over `programmes`, five item lines each,
    bulk-inserted."""
    from decimal import Decimal

    from programs.models import DistributionItem, GiftDistribution
    from tests import factories

    distributions = [
        factories.GiftDistributionFactory.build(
            program=programmes[index % len(programmes)],
            packages=rng.randint(10, 200),
            people_reached=rng.randint(10, 400),
            total_value=Decimal(rng.randint(5, 300) * 1_000_000),
            currency=rng.choice(["VND", "VND", "VND", "LAK"]),
        )
        for index in range(count)
    ]
    GiftDistribution.objects.bulk_create(distributions, batch_size=500)
    through = GiftDistribution.districts.through
    through.objects.bulk_create(
        [
            through(giftdistribution=distribution, area=area)
            for distribution in distributions
            for area in districts_of_a_distribution(rng, districts)
        ],
        batch_size=1000,
    )
    DistributionItem.objects.bulk_create(
        [
            DistributionItem(
                distribution=distribution,
                item_kind=item_kind,
                quantity=rng.randint(1, 50),
                unit_value=Decimal(rng.randint(20, 900) * 1_000),
            )
            for distribution in distributions
            for item_kind in rng.sample(item_kinds, 5)
        ],
        batch_size=1000,
    )


def volume_create():
    """Make the benchmark's rows with the factories; bulk-insert the many small ones."""
    import random

    from tests import factories

    rng = random.Random(2022)
    agreement = factories.AgreementFactory(slug="bench-main")
    commitments_create(agreement)
    exchanges_create(agreement, agreement.years)

    districts = factories.DistrictFactory.create_batch(12)
    item_kinds = [factories.ItemKindFactory() for _ in range(15)]
    programmes = [
        factories.JointProgramFactory(
            agreement=agreement,
            year=2022 + index % 6,
            districts=rng.sample(districts, 2),
        )
        for index in range(200)
    ]
    for programme in programmes[::4]:
        factories.ProgramAttachmentFactory(program=programme)
    distributions_create(rng, programmes, 5_000, districts, item_kinds)

    for _ in range(20):
        other = factories.AgreementFactory()
        factories.CommitmentFactory(agreement=other, ordinal=1)
        for year in (2022, 2023, 2024):
            programme = factories.JointProgramFactory(agreement=other, year=year)
            factories.GiftDistributionFactory.create_batch(
                5, program=programme, districts=[rng.choice(districts)]
            )
    return agreement


def measure_in_process(url, runs, *, cached):
    """Median milliseconds and query count of `url`; `cached=False` empties the
    page cache before every request, so the page is computed and rendered."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for _ in range(5):  # warm: templates compiled, connection open
        assert client.get(url).status_code == 200, url
    timings = []
    for _ in range(runs):
        if not cached:
            cache.clear()
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    if not cached:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(timings), len(queries)


def exports_measure(agreement, year):
    """Each format of the busiest year's report: build plus render, median.

    Returns the median seconds by format.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reporting.report.annual import annual_report_build
    from reporting.report.export import report_render

    runs = {"pdf": 3, "docx": 5, "xlsx": 5, "csv": 10}
    medians = {}
    print(f"\nAnnual report {year} (build + render, median):")
    for file_format in FORMATS:
        timings = []
        for _ in range(runs[file_format]):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                report = annual_report_build(
                    agreement=agreement, year=year, today=TODAY
                )
                content = report_render(report, file_format)
            timings.append(time.perf_counter() - start)
        medians[file_format] = statistics.median(timings)
        print(
            f"  {file_format:<5} {medians[file_format]:6.2f} s"
            f"   {len(queries):2d} queries   {len(content) / 1024:8.0f} KiB"
        )
    return medians


def python_peak_bytes(report, file_format):
    """The most memory Python held at once while rendering, over what it held
    before (tracemalloc): allocations by C libraries (Pango, cairo, libxml2) are
    not seen. The renderer is warmed first, so imports do not count."""
    from reporting.report.export import report_render

    report_render(report, file_format)
    gc.collect()
    tracemalloc.start()
    try:
        report_render(report, file_format)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def memory_status():
    """This process's resident memory now and at its peak, in KiB (/proc)."""
    status = Path("/proc/self/status").read_text()
    return {
        name: int(re.search(rf"^{name}:\s+(\d+) kB", status, re.MULTILINE)[1])
        for name in ("VmRSS", "VmHWM")
    }


def peak_memory_reset():
    """Start the peak (VmHWM) again from the current resident memory; False where
    the kernel does not allow it (Linux 4.0+ does)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def render_child(
    file_format, slug, year, runs, warm_up_slug, warm_up_year, long_word=False
):
    """Run as `bench.py --render …` in a fresh process; print one JSON line.

    A small report (`warm_up_slug`, `warm_up_year`) is rendered first, so that
    importing the renderer and loading its fonts count neither in the time nor in
    the memory. Each timed render is stopped by SIGALRM after RENDER_LIMIT seconds:
    its default action ends the process even inside a C library, and the parent
    reports the limit. `long_word`: the report's first visit gets LONG_WORD as its
    purpose after it is built, as the tests' `long_word_report` does.
    """
    os.environ.update(SETTINGS)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from cooperation.models import Agreement
    from reporting.report.annual import annual_report_build
    from reporting.report.export import report_render

    def build(slug, year):
        agreement = Agreement.objects.get(slug=slug)
        return annual_report_build(agreement=agreement, year=year, today=TODAY)

    report_render(build(warm_up_slug, warm_up_year), file_format)
    report = build(slug, year)
    if long_word:
        from tests.reporting.report.report_years import report_with_purpose

        report = report_with_purpose(report, LONG_WORD)
    timings, growths = [], []
    for _ in range(runs):
        # Each render from a collected heap, with its own peak: the largest growth
        # of one render is reported, not what several renders leave behind.
        content = None
        gc.collect()
        peak_reset = peak_memory_reset()
        before = memory_status()["VmRSS"]
        signal.alarm(RENDER_LIMIT)
        start = time.perf_counter()
        content = report_render(report, file_format)
        timings.append(time.perf_counter() - start)
        signal.alarm(0)
        growths.append(memory_status()["VmHWM"] - before)
    result = {
        "seconds": timings,
        "bytes": len(content),
        "rss_growth_kib": max(growths),
        "peak_reset": peak_reset,
    }
    print(json.dumps(result))


def render_in_fresh_process(file_format, report_of, runs, warm_up_of, *options):
    """`render_child` in a new Python process; its result, or None when a render
    took longer than RENDER_LIMIT seconds. `options`: "--long-word"."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--render",
        file_format,
        *map(str, report_of),
        str(runs),
        *map(str, warm_up_of),
        *options,
    ]
    # The child stops itself after RENDER_LIMIT seconds a render; this limit only
    # catches a child that hangs elsewhere (setup, warm-up).
    backstop = RENDER_LIMIT * runs + 300
    completed = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=backstop
    )
    if completed.returncode == -signal.SIGALRM:
        return None
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{completed.stderr}")
    return json.loads(completed.stdout.splitlines()[-1])


def seconds_text(seconds):
    if seconds is None:
        return f"timed out after {RENDER_LIMIT} s"
    return f"{seconds:.2f} s"


def mebibytes(kibibytes):
    return f"{kibibytes / 1024:6.1f} MiB"


def renderers_measure(agreement, year, build_and_render):
    """Each format's peak memory while rendering, then DOCX against PDF.

    `build_and_render`: exports_measure's medians, printed beside the render-only
    medians of the fresh processes. Returns the fresh-process results by format
    (None where a render timed out), for the long-word case.
    """
    from cooperation.models import Agreement
    from reporting.report.annual import annual_report_build

    runs = int(os.environ.get("BENCH_RENDER_RUNS", "3"))
    report = annual_report_build(agreement=agreement, year=year, today=TODAY)
    other = Agreement.objects.exclude(pk=agreement.pk).order_by("pk").first()
    warm_up = (other.slug, other.start_date.year)
    print(
        f"\nPeak memory while rendering the {year} report (the report built first;"
        "\nPython: tracemalloc peak in this process, a warm renderer; resident: the"
        "\nlargest peak RSS over RSS before a render, in a fresh process per format"
        "\nafter a warm-up render of a small report, of"
        f" {runs} renders; render time there, median):"
    )
    print(f"  {'format':<7} {'Python':>10}   {'resident':>10}   {'render':>9}")
    fresh = {}
    for file_format in FORMATS:
        python = python_peak_bytes(report, file_format) / 1024
        fresh[file_format] = result = render_in_fresh_process(
            file_format, (agreement.slug, year), runs, warm_up
        )
        if result is None:
            resident, render = "–", seconds_text(None)
        else:
            resident = mebibytes(result["rss_growth_kib"])
            if not result["peak_reset"]:
                resident += " (peak since start)"
            render = seconds_text(statistics.median(result["seconds"]))
        print(f"  {file_format:<7} {mebibytes(python)}   {resident}   {render:>9}")

    print(f"\nDOCX against PDF, annual report {year}:")
    print(f"  {'':<40} {'PDF':>9} {'DOCX':>9}   DOCX / PDF")
    rows = {
        "build + render, in-process (above)": (
            build_and_render["pdf"],
            build_and_render["docx"],
        ),
        f"render only, fresh process (median of {runs})": tuple(
            statistics.median(fresh[f]["seconds"]) if fresh[f] else None
            for f in ("pdf", "docx")
        ),
    }
    for name, (pdf, docx) in rows.items():
        ratio = f"{docx / pdf:6.2f} ×" if pdf and docx else "–"
        print(f"  {name:<40} {seconds_text(pdf):>9} {seconds_text(docx):>9}   {ratio}")
    return fresh, warm_up


def long_word_measure(agreement, year, without, warm_up):
    """The same report with one visit's purpose a single 40,000-character word.

    The word goes into the database with update(), which skips the model's
    validation, as a long paste through an import could. Where the database
    refuses it (a CheckConstraint holds the purpose to 4,000 characters), it is
    put on the built report instead, in the rendering process, as the tests'
    `long_word_report` does: the renderers see the same report either way.
    """
    from django.db import IntegrityError, transaction

    from exchanges.models import DelegationVisit

    visits = DelegationVisit.objects.filter(agreement=agreement, start_date__year=year)
    visit = visits.order_by("pk").first()
    purpose = visit.purpose
    try:
        with transaction.atomic():
            DelegationVisit.objects.filter(pk=visit.pk).update(
                purpose_vi=LONG_WORD, purpose_lo=LONG_WORD, purpose_en=LONG_WORD
            )
        in_database, options, where = True, (), "set in the database"
    except IntegrityError:
        in_database, options = False, ("--long-word",)
        where = "put on the built report, as the database refuses a purpose that long"
    try:
        print(
            f"\nLong word: one visit's purpose in {year} is a single "
            f"{len(LONG_WORD):,}-character word, no space,\n{where};"
            f"\neach render in a fresh process, stopped after {RENDER_LIMIT} s"
            " (target: at most 2 × the time without it):"
        )
        print(f"  {'format':<7} {'without':>9} {'with':>24}   with / without")
        for file_format in ("pdf", "docx"):
            before = without[file_format]
            before = statistics.median(before["seconds"]) if before else None
            result = render_in_fresh_process(
                file_format, (agreement.slug, year), 1, warm_up, *options
            )
            after = result["seconds"][0] if result else None
            if before is None:
                ratio = "–"
            elif after is None:
                ratio = f"> {RENDER_LIMIT / before:.0f} ×"
            else:
                ratio = f"{after / before:.1f} ×"
            print(
                f"  {file_format:<7} {seconds_text(before):>9}"
                f" {seconds_text(after):>24}   {ratio}"
            )
    finally:
        if in_database:
            DelegationVisit.objects.filter(pk=visit.pk).update(
                purpose_vi=purpose, purpose_lo=purpose, purpose_en=purpose
            )


def year_scaling_measure(runs):
    """The computed year page of a year holding 500, then 5,000 distributions.

    Two new agreements shaped like the main one (six commitments, the yearly
    visit and exchange, 34 programmes in the year, five item lines a distribution)
    that differ only in the number of distributions.
    """
    import random

    from tests import factories

    rng = random.Random(2024)
    year = 2024
    districts = factories.DistrictFactory.create_batch(12)
    item_kinds = [factories.ItemKindFactory() for _ in range(15)]
    results = {}
    for count in (500, 5_000):
        started = time.perf_counter()
        agreement = factories.AgreementFactory(slug=f"bench-year-{count}")
        commitments_create(agreement)
        exchanges_create(agreement, [year])
        programmes = [
            factories.JointProgramFactory(
                agreement=agreement, year=year, districts=rng.sample(districts, 2)
            )
            for _ in range(34)
        ]
        distributions_create(rng, programmes, count, districts, item_kinds)
        made = time.perf_counter() - started
        url = f"/agreements/{agreement.slug}/{year}/"
        results[count] = (*measure_in_process(url, runs, cached=False), made)
    print(
        f"\nComputed year page against the distributions in the year {year}"
        f"\n(page cache emptied before each request, median of {runs}):"
    )
    for count, (milliseconds, queries, made) in results.items():
        print(
            f"  {count:>6,} distributions {milliseconds:8.1f} ms {queries:3d} queries"
            f"   (made in {made:.0f} s)"
        )
    small, large = results[500][0], results[5_000][0]
    print(f"  10 × the distributions: {large / small:.1f} × the time")


def wait_for_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not start on port {port}")


def wrk_requests_per_second(url, seconds, connections):
    output = subprocess.run(
        [
            "wrk",
            "--threads=1",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--latency",
            # As every browser does; the trivial page is too small to compress.
            "--header=Accept-Encoding: gzip",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    for line in output.splitlines():
        if line.startswith("Requests/sec:"):
            rate = float(line.split()[1])
        if line.strip().startswith("50%"):
            median_latency = line.split()[1]
        if "Non-2xx" in line:
            raise RuntimeError(f"{url} answered errors under load:\n{output}")
    return rate, median_latency


def measure_under_load(paths, seconds, connections):
    env = {**os.environ, **SETTINGS}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--workers=2",
            f"--bind=127.0.0.1:{PORT}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_for_port(PORT)
        results = {}
        for name, path in paths.items():
            url = f"http://127.0.0.1:{PORT}{path}"
            wrk_requests_per_second(url, 2, connections)  # warm both workers
            results[name] = wrk_requests_per_second(url, seconds, connections)
        return results
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main():
    os.environ.update(SETTINGS)
    sys.path.insert(0, str(ROOT))
    if "BENCH_DATABASE_URL" not in os.environ:
        shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True, exist_ok=True)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)

    from django.db.models import Count

    from cooperation.models import Agreement
    from programs.models import DistributionItem, GiftDistribution, JointProgram

    started = time.perf_counter()
    agreement = volume_create()
    busiest = (
        GiftDistribution.objects.filter(program__agreement=agreement)
        .values("program__year")
        .annotate(count=Count("pk"))
        .order_by("-count", "program__year")
        .first()["program__year"]
    )
    programmes = JointProgram.objects.filter(agreement=agreement).count()
    distributions = GiftDistribution.objects.filter(program__agreement=agreement)
    items = DistributionItem.objects.filter(distribution__in=distributions).count()
    print(
        f"Volume: {Agreement.objects.count()} agreements; the main one has "
        f"{programmes} programmes, {distributions.count()} distributions and "
        f"{items} item lines (made in {time.perf_counter() - started:.0f} s)."
    )

    consistency_check(agreement, busiest)

    runs = int(os.environ.get("BENCH_RUNS", "40"))
    pages = {
        "agreement page": f"/agreements/{agreement.slug}/",
        f"year page ({busiest})": f"/agreements/{agreement.slug}/{busiest}/",
        "agreement list": "/",
    }
    print(f"\nIn-process (Django test client, warm, median of {runs}):")
    print(f"  {'':<20} {'computed':>21}   {'from the page cache':>21}")
    for name, path in pages.items():
        computed, computed_queries = measure_in_process(path, runs, cached=False)
        cached, cached_queries = measure_in_process(path, runs, cached=True)
        print(
            f"  {name:<20} {computed:7.1f} ms {computed_queries:3d} queries"
            f"   {cached:7.1f} ms {cached_queries:3d} queries"
        )

    build_and_render = exports_measure(agreement, busiest)

    seconds = int(os.environ.get("BENCH_SECONDS", "10"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "4"))
    if shutil.which("wrk") is None:
        print("\nUnder load: skipped, wrk is not installed (apt-get install wrk).")
    else:
        under_load_measure(pages[f"year page ({busiest})"], pages, seconds, connections)

    fresh, warm_up = renderers_measure(agreement, busiest, build_and_render)
    long_word_measure(agreement, busiest, fresh, warm_up)
    year_scaling_measure(int(os.environ.get("BENCH_SCALING_RUNS", "9")))


def consistency_check(agreement, year):
    """The consistency test's comparison, at this volume: page, PDF, DOCX, XLSX and
    CSV read back and compared with the sections, cell by cell. Fails loudly."""
    from django.test import Client

    from tests.reporting.report.test_consistency import (
        assert_every_output_agrees,
        assert_totals_equal_their_rows,
    )

    started = time.perf_counter()
    report = assert_every_output_agrees(Client(), agreement, year)
    assert_totals_equal_their_rows(report)
    rows = sum(len(t.rows) for section in report.sections for t in section.tables)
    print(
        f"Consistency at this volume ({year}): page, PDF, DOCX, XLSX and CSV agree "
        f"with the sections' {rows} rows and their totals "
        f"({time.perf_counter() - started:.0f} s)."
    )


def under_load_measure(year_page, pages, seconds, connections):
    from django.db import connections as database_connections

    database_connections.close_all()
    results = measure_under_load(
        {
            "trivial page": "/health/",
            "year page": year_page,
            "agreement page": pages["agreement page"],
        },
        seconds,
        connections,
    )
    print(
        f"\nUnder load (gunicorn, 2 workers; wrk, {connections} connections, "
        f"{seconds} s each):"
    )
    baseline = results["trivial page"][0]
    for name, (rate, latency) in results.items():
        print(
            f"  {name:<20} {rate:8.1f} requests/s   median latency {latency:>8}"
            f"   {rate / baseline:5.2f} × trivial"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--render"]:
        arguments = sys.argv[2:]
        long_word = "--long-word" in arguments
        if long_word:
            arguments.remove("--long-word")
        file_format, slug, year, runs, warm_up_slug, warm_up_year = arguments
        render_child(
            file_format,
            slug,
            int(year),
            int(runs),
            warm_up_slug,
            int(warm_up_year),
            long_word=long_word,
        )
    else:
        main()
