"""``python -m accord``: the same command line as the ``accord`` script."""

from accord.cli import run

if __name__ == "__main__":
    run()
