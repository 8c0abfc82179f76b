/**
 * Sample payloads published in Binance's API documentation, copied as published (only a missing
 * comma in the executionReport sample fixed). Sources: binance/binance-spot-api-docs
 * `user-data-stream.md` (2022-12-05 revision; outboundAccountPosition, balanceUpdate,
 * executionReport, listStatus) and `web-socket-streams.md` (avgPrice, bookTicker, partial depth);
 * developers.binance.com USDⓈ-M futures user-data pages "Event: STRATEGY_UPDATE",
 * "Event: GRID_UPDATE", "Event: Algo Order Update". Binance documentation samples, used as test data.
 *
 * @module
 */

/** Spot user data. */
export const OUTBOUND_ACCOUNT_POSITION =
  '{"e":"outboundAccountPosition","E":1564034571105,"u":1564034571073,"B":[{"a":"ETH","f":"10000.000000","l":"0.000000"}]}';

/** Spot executionReport (2022-12-05 docs sample, including trailing-stop and strategy fields). */
export const EXECUTION_REPORT =
  `{"e":"executionReport","E":1499405658658,"s":"ETHBTC","c":"mUvoqJxFIILMdfAW5iGSOW","S":"BUY",
"o":"LIMIT","f":"GTC","q":"1.00000000","p":"0.10264410","P":"0.00000000","d":4,"F":"0.00000000","g":-1,"C":"",
"x":"NEW","X":"NEW","r":"NONE","i":4293153,"l":"0.00000000","z":"0.00000000","L":"0.00000000","n":"0","N":null,
"T":1499405658657,"t":-1,"I":8641984,"w":true,"m":false,"M":false,"O":1499405658657,"Z":"0.00000000",
"Y":"0.00000000","Q":"0.00000000","D":1668680518494,"j":1,"J":1000000,"W":1499405658657,"V":"NONE"}`;

/** Spot listStatus (docs sample). */
export const LIST_STATUS =
  `{"e":"listStatus","E":1564035303637,"s":"ETHBTC","g":2,"c":"OCO","l":"EXEC_STARTED",
"L":"EXECUTING","r":"NONE","C":"F4QN4G8DlFATFlIUQ0cjdD","T":1564035303625,
"O":[{"s":"ETHBTC","i":17,"c":"AJYsMjErWJesZvqlJCTUgL"},{"s":"ETHBTC","i":18,"c":"bfYPSQdLoqAJeNrOr9adzq"}]}`;

/** Spot market streams without `e` / with `e` (web-socket-streams.md samples). */
export const AVG_PRICE =
  '{"e":"avgPrice","E":1693907033000,"s":"BTCUSDT","i":"5m","w":"25776.86000000","T":1693907032213}';
/** Spot raw bookTicker (no `e`, no `E`). */
export const BOOK_TICKER =
  '{"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}';
/** Spot raw partial depth (no `e`, no symbol). */
export const PARTIAL_DEPTH = '{"lastUpdateId":160,"bids":[["0.0024","10"]],"asks":[["0.0026","100"]]}';

/** USD-M STRATEGY_UPDATE. */
export const STRATEGY_UPDATE =
  '{"e":"STRATEGY_UPDATE","T":1669261797627,"E":1669261797628,"su":{"si":176054594,"st":"GRID","ss":"NEW","s":"BTCUSDT","ut":1669261797627,"c":8007}}';
/** USD-M GRID_UPDATE. */
export const GRID_UPDATE =
  `{"e":"GRID_UPDATE","T":1669262908216,"E":1669262908218,"gu":{"si":176057039,"st":"GRID",
"ss":"WORKING","s":"BTCUSDT","r":"-0.00300716","up":"16720","uq":"-0.001","uf":"-0.00300716","mp":"0.0","ut":1669262908197}}`;
/** USD-M ALGO_UPDATE. */
export const ALGO_UPDATE =
  `{"e":"ALGO_UPDATE","T":1750515742297,"E":1750515742303,"o":{"caid":"Q5xaq5EGKgXXa0fD7fs0Ip",
"aid":2148719,"at":"CONDITIONAL","o":"TAKE_PROFIT","s":"BNBUSDT","S":"SELL","ps":"BOTH","f":"GTC","q":"0.01",
"X":"CANCELED","ai":"","ap":"0.00000","aq":"0.00000","act":"0","tp":"750","p":"750","V":"EXPIRE_MAKER",
"wt":"CONTRACT_PRICE","pm":"NONE","cp":false,"pP":false,"R":false,"tt":0,"gtd":0,"rm":"Reduce Only reject"}}`;
