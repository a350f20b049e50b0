"""Use cases, one function each; the CLI and the web app are thin mirrors of them."""
