"""The runner's fast failure on a cluster address that does not answer."""

from __future__ import annotations

import socket
import time

import pytest

from matchready.simulation.runner import EngineUnavailable, check_reachable


def test_a_refused_address_fails_at_once_with_the_address() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(
        EngineUnavailable, match=f"cannot reach the dask cluster at tcp://127.0.0.1:{port}"
    ):
        check_reachable(f"tcp://127.0.0.1:{port}", "dask")
    assert time.monotonic() - started < 2


def test_an_address_that_never_answers_times_out_with_a_clear_message() -> None:
    with socket.socket() as server:  # listening, backlog full: connects hang
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        host, port = server.getsockname()
        fillers = []
        try:
            for _ in range(8):
                filler = socket.socket()
                filler.setblocking(False)
                filler.connect_ex((host, port))
                fillers.append(filler)
            started = time.monotonic()
            try:
                check_reachable(f"{host}:{port}", "ray", timeout=0.5)
            except EngineUnavailable as error:
                assert "within 0.5 s" in str(error) or "refused" in str(error)
            assert time.monotonic() - started < 3
        finally:
            for filler in fillers:
                filler.close()


@pytest.mark.parametrize("address", ["localhost", "tcp://host:port", ":8786"])
def test_a_malformed_address_is_named(address: str) -> None:
    with pytest.raises(EngineUnavailable, match="HOST:PORT"):
        check_reachable(address, "dask")
