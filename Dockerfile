# crosswire's web UI, HTTP API and Atom feed in a container. Build: `docker build -t crosswire .`
# Run with SQLite in a volume:  docker run -p 127.0.0.1:8000:8000 -v crosswire-data:/data crosswire
# With PostgreSQL: compose.yaml. Ingest with the same image: docker run --rm -v crosswire-data:/data crosswire demo
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /build
# The dependencies first, in a layer that changes only with the lock: every file is checked against its sha256
# (requirements-serve.lock: crosswire's dependencies and the PostgreSQL driver, made by `make lock`).
COPY requirements-serve.lock ./
RUN pip install "pip==25.3" && pip install --require-hashes -r requirements-serve.lock
COPY pyproject.toml README.md LICENSE NOTICE ./
COPY src ./src
RUN pip install --no-deps . && cd / && rm -rf /build

# Never root: the server reads untrusted article text.
RUN useradd --create-home --uid 10001 crosswire && mkdir /data && chown crosswire:crosswire /data
USER crosswire
WORKDIR /data
VOLUME /data

# The store (a SQLite file in the volume unless CROSSWIRE_DB names a PostgreSQL URL) and the Host names the server
# answers to besides the loopback names: set CROSSWIRE_ALLOWED_HOSTS to the name clients use (e.g. news.example.org);
# any other Host gets 400, so a DNS-rebinding page cannot read the store. Writes need CROSSWIRE_API_TOKEN.
ENV CROSSWIRE_DB=/data/crosswire.db \
    CROSSWIRE_ALLOWED_HOSTS=localhost
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/stories?limit=1', timeout=4)"]
ENTRYPOINT ["crosswire"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
