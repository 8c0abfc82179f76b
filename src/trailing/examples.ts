/**
 * The example `ubtsl_config.ini` and `ubtsl_profiles.ini` of the Python CLI, shipped in the
 * package so `ubtsl --createconfigini` / `--createprofilesini` / `--example` need no network
 * (Python downloaded them from GitHub). Copied byte for byte from
 * oliver-zehentleitner/unicorn-binance-trailing-stop-loss `cli/example_ubtsl_*.ini`
 * (`tests/trailing/config_test.ts` checks them against `../shared/data/ubtsl/`), under this
 * licence:
 *
 * MIT License
 * ===========
 *
 * Copyright (c) 2022-2026 Oliver Zehentleitner, https://about.me/oliver-zehentleitner
 *
 * Permission is hereby granted, free of charge, to any person obtaining a copy
 * of this software and associated documentation files (the "Software"), to deal
 * in the Software without restriction, including without limitation the rights
 * to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
 * copies of the Software, and to permit persons to whom the Software is
 * furnished to do so, subject to the following conditions:
 *
 * The above copyright notice and this permission notice shall be included in all
 * copies or substantial portions of the Software.
 *
 * THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 * IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
 * FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
 * AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
 * LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
 * OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
 * SOFTWARE.
 *
 * @module
 */

/**
 * `example_ubtsl_config.ini`.
 *
 * @example
 * ```ts
 * import { EXAMPLE_CONFIG_INI } from "./examples.ts";
 * import { parseConfigIni } from "./config.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(parseConfigIni(EXAMPLE_CONFIG_INI, "example").email.port, 465);
 * ```
 */
export const EXAMPLE_CONFIG_INI: string =
  "; Example:\n; https://github.com/oliver-zehentleitner/unicorn-binance-trailing-stop-loss/blob/master/cli/example_ubtsl_config.ini\n\n[BINANCE]\napi_key =\napi_secret =\n\n[EMAIL]\nsend_to_email =\nsend_from_email =\nsend_from_password =\nsend_from_server = smtp.ionos.de\nsend_from_port = 465\n\n[TELEGRAM]\n; Open Telegram client and search for user @BotFather, join a chat and create a bot to get a bot_token\nbot_token =\n; Telegram User ID like 41231996\nsend_to =\n";

/**
 * `example_ubtsl_profiles.ini`.
 *
 * @example
 * ```ts
 * import { EXAMPLE_PROFILES_INI } from "./examples.ts";
 * import { parseProfilesIni } from "./config.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(parseProfilesIni(EXAMPLE_PROFILES_INI, "example").profiles.BTCUSDC_SELL.stopLossLimit, "1.5%");
 * ```
 */
export const EXAMPLE_PROFILES_INI: string =
  "; Example:\n; https://github.com/oliver-zehentleitner/unicorn-binance-trailing-stop-loss/blob/master/cli/example_ubtsl_profiles.ini\n\n[DEFAULT]\nexchange = binance.com-isolated_margin\nreset_stop_loss_price = False\n\n[BTCUSDC_SELL]\nexchange = ${DEFAULT:exchange}\nmarket = BTCUSDC\nkeep_threshold = 20%\nstop_loss_limit = 1.5%\nstop_loss_trigger_gap = 0.01\nstop_loss_order_type = LIMIT\nreset_stop_loss_price = ${DEFAULT:reset_stop_loss_price}\n\n[BTCUSDC_SMART_ENTRY]\nengine = jump-in-and-trail\nexchange = ${DEFAULT:exchange}\nmarket = BTCUSDC\nborrow_threshold = 100%\nkeep_threshold = 20%\nstop_loss_limit = 0.3%\nstop_loss_start_limit = 0.1%\nstop_loss_trigger_gap = 0.01\nstop_loss_order_type = LIMIT\nreset_stop_loss_price = True\n";

/**
 * The licence of the two example files (MIT, Oliver Zehentleitner).
 *
 * @example
 * ```ts
 * import { EXAMPLES_LICENSE } from "./examples.ts";
 * import { assert } from "@std/assert";
 *
 * assert(EXAMPLES_LICENSE.startsWith("MIT License"));
 * ```
 */
export const EXAMPLES_LICENSE: string =
  'MIT License\n===========\n\nCopyright (c) 2022-2026 Oliver Zehentleitner, https://about.me/oliver-zehentleitner\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software and associated documentation files (the "Software"), to deal\nin the Software without restriction, including without limitation the rights\nto use, copy, modify, merge, publish, distribute, sublicense, and/or sell\ncopies of the Software, and to permit persons to whom the Software is\nfurnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\nIMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\nFITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE\nAUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER\nLIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\nOUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE\nSOFTWARE.\n';
