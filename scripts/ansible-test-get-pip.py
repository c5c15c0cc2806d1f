"""Stands in for get-pip.py, which ansible-test downloads to put pip into each sanity test venv.

scripts/sanity.sh copies this file to where ansible-test caches that download
(~/.ansible/test/cache/get_pip_<version>.py). ansible-test runs it with the venv's Python and
the arguments it gives get-pip.py: pip options and the packages to install (pip==<version>),
plus --no-setuptools/--no-wheel. Here the venv gets the pip that Python ships (ensurepip),
which then installs the requested packages from the configured package index.
"""

import subprocess
import sys


def main():
    """Bootstrap pip, then install what ansible-test asked get-pip.py for."""
    args = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]
    subprocess.run([sys.executable, '-m', 'ensurepip', '--default-pip'], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, '-m', 'pip', 'install', '--quiet', *args], check=True)


if __name__ == '__main__':
    main()
