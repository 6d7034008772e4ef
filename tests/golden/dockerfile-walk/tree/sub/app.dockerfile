FROM debian:12.5
ADD . /app
USER 10001
