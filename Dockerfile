# accord's web app: a slim image, run as a non-root user, with a health check.
#   docker build -t accord .                         (add --build-arg WITH_PDF=1 for PDF reports)
#   docker run -p 8000:8000 -v accord-data:/data accord
# Teams: compose.yaml runs it with PostgreSQL and Redis (docs/deploy.md).

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
# Wheels for accord and every dependency, so the final stage needs no compiler or cache.
RUN pip wheel --no-cache-dir --wheel-dir /wheels ".[pdf]"

FROM python:3.11-slim
ARG WITH_PDF=0
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ACCORD_DATABASE_URL=sqlite:////data/accord.db \
    ACCORD_WORKERS=1
# WeasyPrint (PDF reports) needs Pango; without it the image answers PDF requests with a
# message naming the extra, and everything else works.
RUN if [ "$WITH_PDF" = "1" ]; then \
      apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
    && useradd --system --uid 10001 --user-group --home-dir /data --create-home accord
COPY --from=build /wheels /wheels
RUN if [ "$WITH_PDF" = "1" ]; then extra="[pdf]"; else extra=""; fi \
    && pip install --no-cache-dir --no-index --find-links /wheels "accord${extra}" \
    && rm -rf /wheels
USER accord
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
# Migrate first (safe when several containers start at once), then serve.
CMD ["sh", "-c", "accord db upgrade && exec accord serve --host 0.0.0.0 --port 8000 --workers \"$ACCORD_WORKERS\""]
