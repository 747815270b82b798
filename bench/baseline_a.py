#!/usr/bin/env python3
"""Baseline A (issue 6, item 4): the pipeline users write today, kept lean and honest.

System python3 only: json.loads per line, dict lookups, csv.writer rows for the same curated tables
matomo-etl loads (visits, actions, custom dimensions, conversions, ecommerce items, raw visits), in
the warehouse's column order; bench/run.sh then has DuckDB COPY the CSV files into those tables.

Usage: baseline_a.py LANDING_PARTITION_DIR OUT_DIR
"""
import csv
import datetime
import glob
import json
import os
import subprocess
import sys
import zoneinfo

UTC = datetime.timezone.utc
TYPES = {"action": "pageview", "event": "event", "download": "download", "outlink": "outlink",
         "search": "search", "13": "content", "goal": "goal", "ecommerceOrder": "ecommerce_order",
         "ecommerceAbandonedCart": "ecommerce_abandoned_cart"}


def lines(part_dir):
    # zstd through the zstd tool (Python's stdlib has no zstd): what a user would pipe in.
    for path in sorted(glob.glob(os.path.join(part_dir, "part-*.jsonl.zst"))):
        proc = subprocess.Popen(["zstd", "-dc", path], stdout=subprocess.PIPE)
        yield from proc.stdout
        proc.wait()


def main():
    part_dir, out = sys.argv[1], sys.argv[2]
    manifest = json.load(open(os.path.join(part_dir, "_manifest.json")))
    site, day = manifest["site_id"], manifest["date"]
    extracted_at = manifest["extracted_at"]
    tz = None if manifest["site_timezone"] == "UTC" else zoneinfo.ZoneInfo(manifest["site_timezone"])

    def utc(ts):  # epoch -> 'YYYY-MM-DD HH:MM:SS+00'
        return datetime.datetime.fromtimestamp(int(ts), UTC).strftime("%Y-%m-%d %H:%M:%S+00")

    def local_of_epoch(ts):
        t = datetime.datetime.fromtimestamp(int(ts), tz or UTC)
        return t.strftime("%Y-%m-%d %H:%M:%S"), t.hour

    def wall(ts):  # action timestamps: site-local wall time written as if UTC (matomo#22720)
        t = datetime.datetime.fromtimestamp(int(ts), UTC)
        w = t.strftime("%Y-%m-%d %H:%M:%S")
        if tz is None:
            return w + "+00", w
        return t.replace(tzinfo=tz).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S+00"), w

    def nz(v):  # '' and null -> NULL
        return v if v not in ("", None) else None

    def num(v):  # Matomo sends numbers or numeric strings; false means none
        return None if v is None or v is False or v == "" else v

    files = {name: open(os.path.join(out, name + ".csv"), "w", newline="")
             for name in ("visits", "actions", "dims", "conversions", "items", "raw")}
    w = {name: csv.writer(f) for name, f in files.items()}
    for raw in lines(part_dir):
        line = raw.rstrip(b"\n").decode()
        v = json.loads(line)
        vid = v["idVisit"]
        g = v.get
        w["raw"].writerow((site, day, vid, line, extracted_at))
        counts = {"action": 0, "download": 0, "outlink": 0, "13": 0}
        entry = exit_ = None
        revenue = 0.0
        for i, a in enumerate(v.get("actionDetails") or ()):
            t = str(a.get("type"))
            ag = a.get
            at, local = wall(ag("timestamp"))
            if t in counts:
                counts[t] += 1
            if t == "action":
                if entry is None:
                    entry = a
                exit_ = a
            w["actions"].writerow((
                site, vid, day, i, TYPES.get(t, "other"), t, at, local, nz(ag("url")), nz(ag("pageTitle")),
                num(ag("pageIdAction")), nz(ag("idpageview")), num(ag("pageId")), num(ag("pageviewPosition")),
                num(ag("timeSpent")), num(ag("pageLoadTimeMilliseconds")), nz(ag("eventCategory")),
                nz(ag("eventAction")), nz(ag("eventName")), num(ag("eventValue")), nz(ag("siteSearchKeyword")),
                nz(ag("siteSearchCategory")), num(ag("siteSearchCount")), nz(ag("contentName")),
                nz(ag("contentPiece")), nz(ag("contentTarget")), nz(ag("contentInteraction")),
                num(ag("goalId")) if t == "goal" else (0 if t == "ecommerceOrder" else
                                                       (-1 if t == "ecommerceAbandonedCart" else None)),
                nz(ag("goalName")), num(ag("revenue")), nz(ag("orderId")), num(ag("items")),
                nz(ag("productViewSku")), nz(ag("productViewName")),
                (ag("productViewCategories") or [None])[0] if isinstance(ag("productViewCategories"), list)
                else nz(ag("productViewCategories")), num(ag("productViewPrice"))))
            for k, val in a.items():
                if k.startswith("dimension") and val not in ("", None):
                    w["dims"].writerow((site, vid, day, i, "action", k[9:], val))
            if t in ("goal", "ecommerceOrder", "ecommerceAbandonedCart"):
                ctype = TYPES[t]
                goal_id = num(ag("goalId")) if t == "goal" else (0 if t == "ecommerceOrder" else -1)
                if t != "ecommerceAbandonedCart":
                    revenue += float(ag("revenue") or 0)
                w["conversions"].writerow((
                    site, vid, day, i, ctype, goal_id, nz(ag("goalName")), at, local, num(ag("revenue")),
                    num(ag("revenueSubTotal")), num(ag("revenueTax")), num(ag("revenueShipping")),
                    num(ag("revenueDiscount")), num(ag("items")), nz(ag("orderId")), nz(ag("url"))))
                for j, it in enumerate(ag("itemDetails") or ()):
                    w["items"].writerow((site, vid, day, i, ctype, nz(ag("orderId")), j, nz(it.get("itemSKU")),
                                         nz(it.get("itemName")), nz(it.get("itemCategory")),
                                         num(it.get("price")), num(it.get("quantity"))))
        for k, val in v.items():
            if k.startswith("dimension") and val not in ("", None):
                w["dims"].writerow((site, vid, day, None, "visit", k[9:], val))
        last_local, hour = local_of_epoch(g("lastActionTimestamp"))
        actions = int(g("actions") or 0)
        campaign = g("referrerType") == "campaign"
        w["visits"].writerow((
            site, vid, day, g("visitorId") or None, nz(g("fingerprint")), nz(g("userId")),
            utc(g("firstActionTimestamp")), utc(g("lastActionTimestamp")), local_of_epoch(g("firstActionTimestamp"))[0],
            last_local, hour, int(g("visitDuration") or 0), actions, num(g("interactions")), counts["action"],
            int(g("events") or 0), int(g("searches") or 0), counts["download"], counts["outlink"], counts["13"],
            actions <= 1, nz(g("visitorType")), num(g("visitCount")), num(g("daysSinceFirstVisit")),
            num(g("daysSinceLastVisit")), num(g("daysSinceLastEcommerceOrder")), nz(g("referrerType")),
            nz(g("referrerName")), nz(g("referrerKeyword")), nz(g("referrerUrl")),
            nz(g("campaignName")) or (nz(g("referrerName")) if campaign else None),
            nz(g("campaignKeyword")) or (nz(g("referrerKeyword")) if campaign else None),
            nz(g("campaignSource")), nz(g("campaignMedium")), nz(g("campaignContent")), nz(g("campaignId")),
            nz(g("continentCode")), nz(g("countryCode")), nz(g("regionCode")), nz(g("city")), num(g("latitude")),
            num(g("longitude")), nz(g("languageCode")), nz(g("deviceType")), nz(g("deviceBrand")),
            nz(g("deviceModel")), nz(g("operatingSystemName")), nz(g("operatingSystemVersion")),
            nz(g("browserName")), nz(g("browserVersion")), nz(g("browserFamily")), nz(g("resolution")),
            bool(int(g("visitConverted") or 0)), int(g("goalConversions") or 0), f"{revenue:.6f}",
            nz(g("visitEcommerceStatus")), num(g("totalEcommerceConversions")), num(g("totalEcommerceRevenue")),
            num(g("totalEcommerceItems")), num(g("totalAbandonedCarts")), num(g("totalAbandonedCartsRevenue")),
            num(g("totalAbandonedCartsItems")), int(g("truncatedActionsCount") or 0),
            nz(entry.get("url")) if entry else None, nz(exit_.get("url")) if exit_ else None,
            nz(entry.get("pageTitle")) if entry else None, nz(exit_.get("pageTitle")) if exit_ else None,
            extracted_at))
    for f in files.values():
        f.close()


if __name__ == "__main__":
    main()
