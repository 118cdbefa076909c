"""Phone-sized (360x740) screenshots of pages, for looking at what readers see.

Usage: python scripts/screenshots.py BASE_URL OUT_DIR PATH [PATH ...]
e.g.   python scripts/screenshots.py http://127.0.0.1:8000 /tmp/shots /ar/ /zh-Hans/guides/ice-encounters
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from browser import phone_page  # noqa: E402


def main(base: str, out: str, *paths: str) -> None:
    Path(out).mkdir(parents=True, exist_ok=True)
    with phone_page(javascript=False) as page:
        for path in paths:
            page.goto(base + path)
            name = path.strip("/").replace("/", "_") or "root"
            page.screenshot(path=f"{out}/{name}.png", full_page="--full" in sys.argv)
            wide = page.evaluate("""[...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5 || e.getBoundingClientRect().left < -0.5)
                .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().left) + '..' + Math.round(e.getBoundingClientRect().right))""")
            print(path, "overflowing:", wide)


if __name__ == "__main__":
    main(*[a for a in sys.argv[1:] if a != "--full"])
