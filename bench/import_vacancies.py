"""Vacancy import at scale: a generated portal JSON file of N vacancies (default 1,000,000)
imported into PostgreSQL, against the issue's target of 10 minutes.

    .venv/bin/python bench/import_vacancies.py [--vacancies N] [--database postgres://…]

The generator draws titles from a few hundred realistic ones (titles repeat in real data),
companies from 20,000 valid INNs, regions from all federal subjects, salaries and schedules at
random. The baseline is reading and validating the same file without writing, so the ratio
shows what writing and normalising add.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 600
TITLES = [
    "Водитель категории {}",
    "Водитель-экспедитор",
    "Электрогазосварщик {} разряда",
    "Сварщик",
    "Охранник {} разряда",
    "Продавец-кассир",
    "Кладовщик",
    "Грузчик",
    "Оператор ПК",
    "Электромонтёр",
    "Слесарь-ремонтник",
    "Автомеханик",
    "Повар",
    "Менеджер по продажам",
    "Инженер-программист",
    "Системный администратор",
    "Машинист экскаватора",
    "Тракторист",
    "Медицинская сестра",
    "Фельдшер",
    "Бухгалтер",
    "Специалист по кадрам",
    "Монтажник",
    "Оператор станков с ЧПУ",
    "Токарь",
    "Уборщик",
    "Курьер",
    "Диспетчер",
    "Логист",
    "Водитель погрузчика",
    "Плотник",
    "Каменщик",
    "Маляр",
    "Сантехник",
    "Инженер по охране труда",
]
REGIONS = [f"{code:02d}" for code in range(1, 96) if code not in (80, 81, 82, 84, 85, 88)]


def inn(rng: random.Random) -> str:
    stem = "".join(str(rng.randint(0, 9)) for _ in range(9))
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    return stem + str(sum(int(d) * w for d, w in zip(stem, weights, strict=True)) % 11 % 10)


def generate(path: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    companies = [inn(rng) for _ in range(20_000)]
    with path.open("w", encoding="utf-8") as out:
        out.write('{"meta": {"generated": true}, "vacancies": [\n')
        for i in range(n):
            low = rng.randrange(25_000, 150_000, 5_000)
            item = {
                "id": f"gen-{i}",
                "vacancy_name": rng.choice(TITLES).format(rng.choice(["C", "4", "5", "B", "6"])),
                "state_region_code": rng.choice(REGIONS) + "00000000000",
                "salary_min": low,
                "salary_max": low + rng.randrange(0, 60_000, 5_000),
                "work_places": rng.randint(1, 5),
                "company": {"inn": rng.choice(companies), "name": f"ООО «Компания {i % 20_000}»"},
                "schedule_type": rng.choice(
                    ["Полный рабочий день", "Сменный график", "Вахтовый метод"]
                ),
                "busy_type": rng.choice(["Полная занятость", "Частичная занятость"]),
            }
            out.write(("," if i else "") + json.dumps(item, ensure_ascii=False) + "\n")
        out.write("]}\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vacancies", type=int, default=1_000_000)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/postgres")
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wp-vacancies-"))
    data = work / "vacancies.json"
    started = time.perf_counter()
    generate(data, arguments.vacancies)
    figures = {"vacancies": arguments.vacancies, "generate_s": time.perf_counter() - started}
    figures["file_mb"] = data.stat().st_size / 1e6

    database = f"wp_bench_vacancies_{os.getpid()}"
    admin = arguments.database
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {database}"], check=True)
    url = admin.rsplit("/", 1)[0] + "/" + database
    env = {**os.environ, "DATABASE_URL": url, "WAYPOINT_HOME": str(work), "WAYPOINT_DEBUG": "1"}
    waypoint = str(Path(sys.executable).with_name("waypoint"))
    try:
        subprocess.run([waypoint, "migrate", "-v0"], env=env, check=True)
        started = time.perf_counter()
        code = (
            "import sys, time; from pathlib import Path; import django; django.setup();"
            "from waypoint.employment.importing import read_portal_json, clean;"
            "from waypoint.regions.models import Region;"
            "regions=set(Region.objects.values_list('code', flat=True));"
            f"records=read_portal_json(open({str(data)!r}, encoding='utf-8'));"
            "n=sum(1 for r in records if clean(r, regions));"
            "print(n)"
        )
        subprocess.run(
            [sys.executable, "-c", code],
            env={**env, "DJANGO_SETTINGS_MODULE": "waypoint.settings"},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        figures["read_validate_only_s"] = time.perf_counter() - started
        started = time.perf_counter()
        subprocess.run([waypoint, "import-vacancies", str(data)], env=env, check=True)
        figures["import_s"] = time.perf_counter() - started
        started = time.perf_counter()
        subprocess.run([waypoint, "import-vacancies", str(data)], env=env, check=True)
        figures["reimport_s"] = time.perf_counter() - started
    finally:
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {database}"], check=False)
        data.unlink(missing_ok=True)
    figures["import_per_s"] = arguments.vacancies / figures["import_s"]
    figures["target_s"] = TARGET_SECONDS
    figures["ratio_import_to_read_only"] = figures["import_s"] / figures["read_validate_only_s"]
    for name, value in figures.items():
        print(f"{name:28s} {value:12.2f}")
    print("RESULT " + " ".join(f"{name}={value:.2f}" for name, value in figures.items()))


if __name__ == "__main__":
    main()
