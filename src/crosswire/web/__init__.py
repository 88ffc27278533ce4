"""The web shell: HTTP API, HTML pages and Atom feed over one store (``create_app``)."""
