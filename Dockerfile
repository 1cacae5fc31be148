# The archive under gunicorn; static files served by whitenoise. Used by docker-compose.yml.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=archive.settings.prod
WORKDIR /app
COPY pyproject.toml README.md ./
COPY archive ./archive
COPY notices ./notices
# RapidOCR pulls the full OpenCV build, which loads libGL.so.1 (absent here): swap in the
# headless build of the same library, which needs no display libraries (dev.py does the same).
RUN pip install --no-cache-dir ".[prod]" \
    && pip uninstall -y opencv-python \
    && pip install --no-cache-dir opencv-python-headless \
    && python -c "import cv2, rapidocr_onnxruntime"
COPY . .
# collectstatic needs a secret key to import the production settings; this one is thrown away.
RUN SECRET_KEY=collectstatic-only-not-a-real-secret-key-000000 DATABASE_URL=postgres://build@localhost/none \
    python manage.py collectstatic --noinput
RUN useradd --system --home /app archive && chown -R archive /app
USER archive
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn -c gunicorn.conf.py archive.wsgi:application"]
