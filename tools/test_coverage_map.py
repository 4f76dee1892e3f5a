"""Which modules under nova/ have unit tests at the mirrored path, and what share do.

A module's unit tests live at the mirrored path: ``nova/x/y.py`` ->
``tests/unit/x/test_y.py`` (a package's ``nova/x/y/__init__.py`` ->
``tests/unit/x/test_y.py``).  Counted are the modules with more than
``--min-loc`` lines of code (non-blank, non-comment lines); configuration
options (``nova/conf``), policies (``nova/policies``) and database
migrations are left aside, as they are tested as a whole elsewhere.

    .venv/bin/python -m tools.test_coverage_map            # table + percentage
    .venv/bin/python -m tools.test_coverage_map --missing  # only the untested ones
"""

import argparse
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXCLUDED_PARTS = ('conf', 'policies', 'migrations')


def lines_of_code(path):
    return sum(1 for line in path.read_text().splitlines()
               if line.strip() and not line.strip().startswith('#'))


def mirrored_test(module, root=ROOT):
    """The test module path ``module`` (a path relative to ``root``) should have."""
    parts = module.relative_to('nova').with_suffix('').parts
    if parts[-1] == '__init__':
        parts = parts[:-1]
    return root.joinpath('tests', 'unit', *parts[:-1], 'test_%s.py' % parts[-1])


def modules(root=ROOT, min_loc=60):
    """(module path relative to root, lines of code) of every counted module."""
    found = []
    for path in sorted((root / 'nova').rglob('*.py')):
        relative = path.relative_to(root)
        if any(part in EXCLUDED_PARTS for part in relative.parts[1:-1]):
            continue
        loc = lines_of_code(path)
        if loc > min_loc:
            found.append((relative, loc))
    return found


def coverage(root=ROOT, min_loc=60):
    """[(module, loc, test path or None)] and the share of modules with a test."""
    rows = []
    for module, loc in modules(root, min_loc):
        test = mirrored_test(module, root)
        rows.append((module, loc, test.relative_to(root) if test.exists() else None))
    covered = sum(1 for _module, _loc, test in rows if test)
    return rows, (100.0 * covered / len(rows) if rows else 100.0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--min-loc', type=int, default=60)
    parser.add_argument('--missing', action='store_true',
                        help='list only modules without a mirrored test, largest first')
    args = parser.parse_args(argv)
    rows, share = coverage(min_loc=args.min_loc)
    covered, total = sum(1 for row in rows if row[2]), len(rows)
    if args.missing:
        rows = sorted((row for row in rows if not row[2]), key=lambda row: -row[1])
    for module, loc, test in rows:
        print('%-60s %5d  %s' % (module, loc, test or '-'))
    print('\n%d of %d modules over %d lines of code have a mirrored unit test module: %.0f%%'
          % (covered, total, args.min_loc, share))
    return 0


if __name__ == '__main__':
    sys.exit(main())
