"""Reads every feature of one OGC API - Features collection with OWSLib, as an analyst would.

Usage: python3 owslib_items.py LANDING_PAGE_URL COLLECTION_ID PAGE_SIZE

The first page comes from OWSLib's Features.collection_items(limit=PAGE_SIZE); OWSLib has no
paging helper, so the following pages are fetched from each page's "next" link with OWSLib's own
HTTP function. Prints one JSON document on stdout:
{"collection": ..., "numberMatched": <first page's>, "pages": [<URL of each page fetched>],
 "features": [<every feature, in the order received>]}
OgcClientsIT (dashboard module) runs this script and compares the result with the API's answer.
"""

import json
import sys

from owslib.ogcapi.features import Features
from owslib.util import http_get


def next_link(page):
    for link in page.get("links", []):
        if link.get("rel") == "next":
            return link["href"]
    return None


def read_all(url, collection_id, page_size):
    # OWSLib as a user would call it: its requests send "Accept: */*", to which "/" answers JSON.
    api = Features(url)
    if collection_id not in api.feature_collections():
        sys.exit(f"{collection_id} is not among the feature collections {api.feature_collections()}")
    page = api.collection_items(collection_id, limit=page_size)
    pages = [api.request]
    features = list(page["features"])
    number_matched = page.get("numberMatched")
    href = next_link(page)
    while href is not None:
        if len(pages) > 1000:
            sys.exit(f"more than 1000 pages: the next links of {collection_id} do not end")
        response = http_get(href, headers=api.headers, auth=api.auth, timeout=api.timeout)
        response.raise_for_status()
        page = response.json()
        pages.append(response.url)
        features.extend(page["features"])
        href = next_link(page)
    return {
        "collection": collection_id,
        "numberMatched": number_matched,
        "pages": pages,
        "features": features,
    }


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    json.dump(read_all(sys.argv[1], sys.argv[2], int(sys.argv[3])), sys.stdout)
