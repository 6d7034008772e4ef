FROM debian:12.5
RUN useradd -r -u 10001 app
RUN cd /src && make
USER app
CMD ./server --port=8080
