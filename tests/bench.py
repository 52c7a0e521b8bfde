"""`make bench`: the public pages at realistic volume, in-process and under load.

Volume (issue "progress pages"): one agreement of 6 years with 200 programmes,
5,000 distributions (one in ten reported jointly for two neighbouring districts)
and 25,000 item lines in 12 districts, plus 20 other agreements, all made with the
test factories. Then:

1. in-process: Django's test client, warm, the median of many requests for the
   agreement page and the busiest year page, with their query counts;
2. under load: gunicorn with 2 workers serves the same database with production
   settings; wrk (a bounded load tool: fixed connections and duration) measures
   requests per second for the year page and for a trivial template page
   (`/health/`), and the ratio of the two.

Run it with `make bench`; it prints the figures the README quotes. The database is
a throwaway SQLite file in var/bench/ unless BENCH_DATABASE_URL is given.
"""

import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench"
PORT = int(os.environ.get("BENCH_PORT", "8765"))

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


def volume_create():
    """Make the benchmark's rows with the factories; bulk-insert the many small ones."""
    import datetime
    import random
    from decimal import Decimal

    from cooperation.models import Commitment
    from programs.models import DistributionItem, GiftDistribution
    from tests import factories

    rng = random.Random(2022)
    agreement = factories.AgreementFactory(slug="bench-main")
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
    first, second = [p.organisation for p in agreement.party_signatures.all()]
    for year in agreement.years:
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

    distributions = [
        factories.GiftDistributionFactory.build(
            program=programmes[index % 200],
            packages=rng.randint(10, 200),
            people_reached=rng.randint(10, 400),
            total_value=Decimal(rng.randint(5, 300) * 1_000_000),
            currency=rng.choice(["VND", "VND", "VND", "LAK"]),
        )
        for index in range(5_000)
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
    """Each format of the busiest year's report: build plus render, median."""
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reporting.report.annual import annual_report_build
    from reporting.report.export import FORMATS, report_render

    today = datetime.date(2026, 11, 28)
    runs = {"pdf": 3, "docx": 5, "xlsx": 5, "csv": 10}
    print(f"\nAnnual report {year} (build + render, median):")
    for file_format in FORMATS:
        timings = []
        for _ in range(runs[file_format]):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                report = annual_report_build(
                    agreement=agreement, year=year, today=today
                )
                content = report_render(report, file_format)
            timings.append(time.perf_counter() - start)
        print(
            f"  {file_format:<5} {statistics.median(timings):6.2f} s"
            f"   {len(queries):2d} queries   {len(content) / 1024:8.0f} KiB"
        )


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

    exports_measure(agreement, busiest)

    seconds = int(os.environ.get("BENCH_SECONDS", "10"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "4"))
    if shutil.which("wrk") is None:
        print("\nUnder load: skipped, wrk is not installed (apt-get install wrk).")
        return
    from django.db import connections as database_connections

    database_connections.close_all()
    results = measure_under_load(
        {
            "trivial page": "/health/",
            "year page": pages[f"year page ({busiest})"],
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
    main()
