"""The demo run by `make demo`: the main job on the bundled, fictional example data."""

from matchready.cli.app import main

if __name__ == "__main__":
    main()
