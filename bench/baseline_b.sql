-- Baseline B (issue 6, item 5): DuckDB SQL alone, through the same libduckdb as matomo-etl.
-- read_json on the landed zstd JSONL parts (@PARTS@ is their glob) with declared columns, UNNEST of
-- actionDetails and itemDetails into the same curated tables, in one transaction. @SITE@, @DATE@,
-- @TZ@ and @EXTRACTED@ come from the partition's manifest. Numbers Matomo sometimes sends as strings
-- are read as VARCHAR and cast; action timestamps are site-local wall times (matomo#22720).
BEGIN TRANSACTION;
CREATE TEMP TABLE v AS SELECT * FROM read_json('@PARTS@', format = 'newline_delimited', compression = 'zstd',
  maximum_object_size = 67108864, columns = {
    idVisit: 'BIGINT', visitorId: 'VARCHAR', fingerprint: 'VARCHAR', userId: 'VARCHAR',
    firstActionTimestamp: 'BIGINT', lastActionTimestamp: 'BIGINT', visitDuration: 'VARCHAR', actions: 'VARCHAR',
    interactions: 'VARCHAR', events: 'VARCHAR', searches: 'VARCHAR', visitorType: 'VARCHAR', visitCount: 'VARCHAR',
    daysSinceFirstVisit: 'VARCHAR', daysSinceLastVisit: 'VARCHAR', daysSinceLastEcommerceOrder: 'VARCHAR',
    referrerType: 'VARCHAR', referrerName: 'VARCHAR', referrerKeyword: 'VARCHAR', referrerUrl: 'VARCHAR',
    campaignName: 'VARCHAR', campaignKeyword: 'VARCHAR', campaignSource: 'VARCHAR', campaignMedium: 'VARCHAR',
    campaignContent: 'VARCHAR', campaignId: 'VARCHAR', continentCode: 'VARCHAR', countryCode: 'VARCHAR',
    regionCode: 'VARCHAR', city: 'VARCHAR', latitude: 'VARCHAR', longitude: 'VARCHAR', languageCode: 'VARCHAR',
    deviceType: 'VARCHAR', deviceBrand: 'VARCHAR', deviceModel: 'VARCHAR', operatingSystemName: 'VARCHAR',
    operatingSystemVersion: 'VARCHAR', browserName: 'VARCHAR', browserVersion: 'VARCHAR', browserFamily: 'VARCHAR',
    resolution: 'VARCHAR', visitConverted: 'VARCHAR', goalConversions: 'VARCHAR', visitEcommerceStatus: 'VARCHAR',
    totalEcommerceConversions: 'VARCHAR', totalEcommerceRevenue: 'VARCHAR', totalEcommerceItems: 'VARCHAR',
    totalAbandonedCarts: 'VARCHAR', totalAbandonedCartsRevenue: 'VARCHAR', totalAbandonedCartsItems: 'VARCHAR',
    truncatedActionsCount: 'VARCHAR', dimension1: 'VARCHAR', dimension3: 'VARCHAR',
    actionDetails: 'STRUCT(type VARCHAR, "timestamp" BIGINT, url VARCHAR, pageTitle VARCHAR, pageIdAction VARCHAR,
      idpageview VARCHAR, pageId VARCHAR, pageviewPosition VARCHAR, timeSpent VARCHAR,
      pageLoadTimeMilliseconds VARCHAR, eventCategory VARCHAR, eventAction VARCHAR, eventName VARCHAR,
      eventValue VARCHAR, siteSearchKeyword VARCHAR, siteSearchCategory VARCHAR, siteSearchCount VARCHAR,
      contentName VARCHAR, contentPiece VARCHAR, contentTarget VARCHAR, contentInteraction VARCHAR, goalId VARCHAR,
      goalName VARCHAR, revenue VARCHAR, revenueSubTotal VARCHAR, revenueTax VARCHAR, revenueShipping VARCHAR,
      revenueDiscount VARCHAR, orderId VARCHAR, items VARCHAR, productViewSku VARCHAR, productViewName VARCHAR,
      productViewCategories JSON, productViewPrice VARCHAR, dimension2 VARCHAR, dimension4 VARCHAR,
      itemDetails STRUCT(itemSKU VARCHAR, itemName VARCHAR, itemCategory VARCHAR, price VARCHAR,
                         quantity VARCHAR)[])[]'});
CREATE TEMP TABLE a AS SELECT *,
    timezone('@TZ@', make_timestamp("timestamp" * 1000000)) AS occurred_at,
    make_timestamp("timestamp" * 1000000) AS occurred_local,
    CASE type WHEN 'action' THEN 'pageview' WHEN 'event' THEN 'event' WHEN 'download' THEN 'download'
      WHEN 'outlink' THEN 'outlink' WHEN 'search' THEN 'search' WHEN '13' THEN 'content' WHEN 'goal' THEN 'goal'
      WHEN 'ecommerceOrder' THEN 'ecommerce_order' WHEN 'ecommerceAbandonedCart' THEN 'ecommerce_abandoned_cart'
      ELSE 'other' END AS action_type,
    CASE type WHEN 'goal' THEN TRY_CAST(goalId AS BIGINT) WHEN 'ecommerceOrder' THEN 0
      WHEN 'ecommerceAbandonedCart' THEN -1 END AS goal_id
  FROM (SELECT v.idVisit, t.i - 1 AS action_index, unnest(t.x)
        FROM v, unnest(v.actionDetails) WITH ORDINALITY AS t(x, i));
INSERT INTO matomo_actions SELECT @SITE@, idVisit, DATE '@DATE@', action_index, action_type, type, occurred_at,
    occurred_local, nullif(url, ''), nullif(pageTitle, ''), TRY_CAST(pageIdAction AS BIGINT), nullif(idpageview, ''),
    TRY_CAST(pageId AS BIGINT), TRY_CAST(pageviewPosition AS INTEGER), TRY_CAST(timeSpent AS INTEGER),
    TRY_CAST(pageLoadTimeMilliseconds AS INTEGER), nullif(eventCategory, ''), nullif(eventAction, ''),
    nullif(eventName, ''), TRY_CAST(eventValue AS DOUBLE), nullif(siteSearchKeyword, ''),
    nullif(siteSearchCategory, ''), TRY_CAST(siteSearchCount AS INTEGER), nullif(contentName, ''),
    nullif(contentPiece, ''), nullif(contentTarget, ''), nullif(contentInteraction, ''), goal_id,
    nullif(goalName, ''), TRY_CAST(revenue AS DECIMAL(18, 6)), nullif(orderId, ''), TRY_CAST(items AS INTEGER),
    nullif(productViewSku, ''), nullif(productViewName, ''),
    coalesce(productViewCategories->>0, productViewCategories->>'$'), TRY_CAST(productViewPrice AS DECIMAL(18, 6))
  FROM a;
INSERT INTO matomo_conversions SELECT @SITE@, idVisit, DATE '@DATE@', action_index, action_type, goal_id,
    nullif(goalName, ''), occurred_at, occurred_local, TRY_CAST(revenue AS DECIMAL(18, 6)),
    TRY_CAST(revenueSubTotal AS DECIMAL(18, 6)), TRY_CAST(revenueTax AS DECIMAL(18, 6)),
    TRY_CAST(revenueShipping AS DECIMAL(18, 6)), TRY_CAST(revenueDiscount AS DECIMAL(18, 6)),
    TRY_CAST(items AS INTEGER), nullif(orderId, ''), nullif(url, '')
  FROM a WHERE type IN ('goal', 'ecommerceOrder', 'ecommerceAbandonedCart');
INSERT INTO matomo_ecommerce_items SELECT @SITE@, idVisit, DATE '@DATE@', action_index, action_type,
    nullif(orderId, ''), it.j - 1, nullif(it.y.itemSKU, ''), nullif(it.y.itemName, ''), nullif(it.y.itemCategory, ''),
    TRY_CAST(it.y.price AS DECIMAL(18, 6)), TRY_CAST(it.y.quantity AS BIGINT)
  FROM a, unnest(a.itemDetails) WITH ORDINALITY AS it(y, j) WHERE type IN ('ecommerceOrder', 'ecommerceAbandonedCart');
INSERT INTO matomo_custom_dimensions
  SELECT @SITE@, idVisit, DATE '@DATE@', NULL, 'visit', 1, dimension1 FROM v WHERE nullif(dimension1, '') IS NOT NULL
  UNION ALL SELECT @SITE@, idVisit, DATE '@DATE@', NULL, 'visit', 3, dimension3 FROM v WHERE nullif(dimension3, '') IS NOT NULL
  UNION ALL SELECT @SITE@, idVisit, DATE '@DATE@', action_index, 'action', 2, dimension2 FROM a WHERE nullif(dimension2, '') IS NOT NULL
  UNION ALL SELECT @SITE@, idVisit, DATE '@DATE@', action_index, 'action', 4, dimension4 FROM a WHERE nullif(dimension4, '') IS NOT NULL;
INSERT INTO matomo_visits SELECT @SITE@, v.idVisit, DATE '@DATE@', nullif(visitorId, ''), nullif(fingerprint, ''),
    nullif(userId, ''), to_timestamp(firstActionTimestamp), to_timestamp(lastActionTimestamp),
    timezone('@TZ@', to_timestamp(firstActionTimestamp)), timezone('@TZ@', to_timestamp(lastActionTimestamp)),
    hour(timezone('@TZ@', to_timestamp(lastActionTimestamp))), coalesce(TRY_CAST(visitDuration AS INTEGER), 0),
    coalesce(TRY_CAST(actions AS INTEGER), 0), TRY_CAST(interactions AS INTEGER), coalesce(s.pageviews, 0),
    coalesce(TRY_CAST(events AS INTEGER), 0), coalesce(TRY_CAST(searches AS INTEGER), 0), coalesce(s.downloads, 0),
    coalesce(s.outlinks, 0), coalesce(s.contents, 0), coalesce(TRY_CAST(actions AS INTEGER), 0) <= 1,
    nullif(visitorType, ''), TRY_CAST(visitCount AS INTEGER), TRY_CAST(daysSinceFirstVisit AS INTEGER),
    TRY_CAST(daysSinceLastVisit AS INTEGER), TRY_CAST(daysSinceLastEcommerceOrder AS INTEGER), nullif(referrerType, ''),
    nullif(referrerName, ''), nullif(referrerKeyword, ''), nullif(referrerUrl, ''),
    coalesce(nullif(campaignName, ''), CASE WHEN referrerType = 'campaign' THEN nullif(referrerName, '') END),
    coalesce(nullif(campaignKeyword, ''), CASE WHEN referrerType = 'campaign' THEN nullif(referrerKeyword, '') END),
    nullif(campaignSource, ''), nullif(campaignMedium, ''), nullif(campaignContent, ''), nullif(campaignId, ''),
    nullif(continentCode, ''), nullif(countryCode, ''), nullif(regionCode, ''), nullif(city, ''),
    TRY_CAST(latitude AS DOUBLE), TRY_CAST(longitude AS DOUBLE), nullif(languageCode, ''), nullif(deviceType, ''),
    nullif(deviceBrand, ''), nullif(deviceModel, ''), nullif(operatingSystemName, ''),
    nullif(operatingSystemVersion, ''), nullif(browserName, ''), nullif(browserVersion, ''),
    nullif(browserFamily, ''), nullif(resolution, ''), coalesce(TRY_CAST(visitConverted AS INTEGER), 0) <> 0,
    coalesce(TRY_CAST(goalConversions AS INTEGER), 0), coalesce(s.revenue, 0), nullif(visitEcommerceStatus, ''),
    TRY_CAST(totalEcommerceConversions AS INTEGER), TRY_CAST(totalEcommerceRevenue AS DECIMAL(18, 6)),
    TRY_CAST(totalEcommerceItems AS INTEGER), TRY_CAST(totalAbandonedCarts AS INTEGER),
    TRY_CAST(totalAbandonedCartsRevenue AS DECIMAL(18, 6)), TRY_CAST(totalAbandonedCartsItems AS INTEGER),
    coalesce(TRY_CAST(truncatedActionsCount AS INTEGER), 0), s.entry_url, s.exit_url, s.entry_title, s.exit_title,
    TIMESTAMPTZ '@EXTRACTED@'
  FROM v LEFT JOIN (
    SELECT idVisit, count(*) FILTER (type = 'action') AS pageviews, count(*) FILTER (type = 'download') AS downloads,
      count(*) FILTER (type = 'outlink') AS outlinks, count(*) FILTER (type = '13') AS contents,
      sum(TRY_CAST(revenue AS DECIMAL(18, 6))) FILTER (type IN ('goal', 'ecommerceOrder')) AS revenue,
      arg_min(nullif(url, ''), action_index) FILTER (type = 'action') AS entry_url,
      arg_max(nullif(url, ''), action_index) FILTER (type = 'action') AS exit_url,
      arg_min(nullif(pageTitle, ''), action_index) FILTER (type = 'action') AS entry_title,
      arg_max(nullif(pageTitle, ''), action_index) FILTER (type = 'action') AS exit_title
    FROM a GROUP BY idVisit) s ON s.idVisit = v.idVisit;
INSERT INTO matomo_raw_visits SELECT @SITE@, DATE '@DATE@', (json->>'idVisit')::BIGINT, json, TIMESTAMPTZ '@EXTRACTED@'
  FROM read_ndjson_objects('@PARTS@', compression = 'zstd', maximum_object_size = 67108864);
COMMIT;
CHECKPOINT;
