#!/usr/bin/env python3
"""A re-creation of the requests the Python UBLDC `Cluster` client sends (python-suite.md D.10,
F.9), with the standard library only, driving a cluster router through one scenario.

What it keeps from the real client: the base URL `http://address:port/`; `test_connection()`
accepts only `app.name == "ubdcc-restapi"` and `result == "OK"`; `create_depthcache` and
`create_depthcaches` are POST with a JSON body that carries explicit `null`s for unset fields
(the async variant sets `Content-Type: application/json`, the sync one gets it from requests);
GET drops `None` parameters; `debug=True` adds `debug: "true"` (query or JSON body) and computes
`transmission_time = request_time - debug.cluster_execution_time` (so that must be a number);
`raise_for_status()` on every answer (an HTTP error status would hide the error id).

Prints one JSON line per call: {"call": ..., "body": ...}. Exit code 0 when every call got
HTTP 2xx with a JSON body.
"""
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


class Cluster:
    def __init__(self, address, port):
        self.url = f"http://{address}/" if port in (80, None) else f"http://{address}:{port}/"
        if not self.test_connection():
            raise RuntimeError(f"UBDCC {self.url} not reachable")

    def _request(self, endpoint, method, params=None, debug=False):
        start = time.time()
        if debug:
            params = dict(params or {})
            params["debug"] = "true"
        if method == "get":
            query = {k: v for k, v in (params or {}).items() if v is not None}
            url = self.url + endpoint + ("?" + urllib.parse.urlencode(query) if query else "")
            req = urllib.request.Request(url, method="GET")
        else:
            data = json.dumps(params).encode()
            req = urllib.request.Request(self.url + endpoint, data=data, method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as res:  # raises on 4xx/5xx: raise_for_status
                if not res.headers.get("Content-Type", "").startswith("application/json"):
                    raise RuntimeError(f"{endpoint}: Content-Type {res.headers.get('Content-Type')}")
                result = json.loads(res.read())
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"{endpoint}: HTTP {e.code} (raise_for_status)") from e
        if debug and result.get("debug") is not None:
            request_time = time.time() - start
            result["debug"]["request_time"] = request_time
            result["debug"]["transmission_time"] = request_time - result["debug"]["cluster_execution_time"]
        return result

    def test_connection(self):
        t = self._request("test", "get")
        return t.get("app") is not None and t["app"]["name"] == "ubdcc-restapi" and t.get("result") == "OK"

    def create_depthcache(self, exchange, market, desired_quantity=None, update_interval=None,
                          refresh_interval=None, debug=False):
        return self._request("create_depthcache", "post", {
            "exchange": exchange, "market": market, "desired_quantity": desired_quantity,
            "update_interval": update_interval, "refresh_interval": refresh_interval}, debug)

    def create_depthcaches(self, exchange, markets, desired_quantity=None, update_interval=None,
                           refresh_interval=None, debug=False):
        return self._request("create_depthcaches", "post", {
            "exchange": exchange, "markets": markets, "desired_quantity": desired_quantity,
            "update_interval": update_interval, "refresh_interval": refresh_interval}, debug)

    def get_asks(self, exchange, market, limit_count=None, threshold_volume=None, debug=False):
        return self._request("get_asks", "get", {"exchange": exchange, "market": market,
                                                 "limit_count": limit_count, "threshold_volume": threshold_volume}, debug)

    def get_bids(self, exchange, market, limit_count=None, threshold_volume=None, debug=False):
        return self._request("get_bids", "get", {"exchange": exchange, "market": market,
                                                 "limit_count": limit_count, "threshold_volume": threshold_volume}, debug)

    def get_cluster_info(self, debug=False):
        return self._request("get_cluster_info", "get", debug=debug)

    def get_depthcache_list(self, debug=False):
        return self._request("get_depthcache_list", "get", debug=debug)

    def get_depthcache_info(self, exchange, market, debug=False):
        return self._request("get_depthcache_info", "get", {"exchange": exchange, "market": market}, debug)

    def stop_depthcache(self, exchange, market, debug=False):
        return self._request("stop_depthcache", "get", {"exchange": exchange, "market": market}, debug)

    def add_credentials(self, account_group, api_key, api_secret, debug=False):
        return self._request("add_credentials", "post", {
            "account_group": account_group, "api_key": api_key, "api_secret": api_secret}, debug)

    def remove_credentials(self, id, debug=False):
        return self._request("remove_credentials", "post", {"id": id}, debug)

    def get_credentials_list(self, debug=False):
        return self._request("get_credentials_list", "get", debug=debug)


def main():
    host, port, api_key, api_secret = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    c = Cluster(host, port)
    out = lambda call, body: print(json.dumps({"call": call, "body": body}), flush=True)
    out("create_depthcache", c.create_depthcache("binance.com", "BTCUSDT", desired_quantity=2, debug=True))
    out("create_depthcache again", c.create_depthcache("binance.com", "BTCUSDT"))
    out("create_depthcaches", c.create_depthcaches("binance.com", ["ETHUSDT", "BNBBTC", "BTCUSDT"], debug=True))
    deadline = time.time() + 30
    asks = c.get_asks("binance.com", "BTCUSDT", limit_count=5)
    while asks.get("result") != "OK" and time.time() < deadline:
        time.sleep(0.05)
        asks = c.get_asks("binance.com", "BTCUSDT", limit_count=5)
    out("get_asks", asks)
    bids = c.get_bids("binance.com", "ETHUSDT", threshold_volume=50000, debug=True)
    while bids.get("result") != "OK" and time.time() < deadline:
        time.sleep(0.05)
        bids = c.get_bids("binance.com", "ETHUSDT", threshold_volume=50000, debug=True)
    out("get_bids", bids)
    out("get_asks missing", c._request("get_asks", "get", {"exchange": "binance.com"}))
    out("get_asks unknown", c.get_asks("binance.com", "XRPUSDT"))
    out("get_depthcache_list", c.get_depthcache_list())
    out("get_depthcache_info", c.get_depthcache_info("binance.com", "BTCUSDT", debug=True))
    added = c.add_credentials("binance.com", api_key, api_secret)
    out("add_credentials", added)
    out("add_credentials bad group", c.add_credentials("binance.xyz", api_key, api_secret))
    out("get_credentials_list", c.get_credentials_list())
    out("get_cluster_info", c.get_cluster_info())
    out("remove_credentials", c.remove_credentials(added.get("id")))
    out("remove_credentials again", c.remove_credentials(added.get("id")))
    out("stop_depthcache", c.stop_depthcache("binance.com", "BNBBTC"))
    out("stop_depthcache again", c.stop_depthcache("binance.com", "BNBBTC"))
    out("get_test", c._request("test", "get"))


if __name__ == "__main__":
    main()
