"use strict";
exports.id = 688;
exports.ids = [688];
exports.modules = {

/***/ 9688:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   parts: () => (/* binding */ parts)
/* harmony export */ });
/* eslint-disable @typescript-eslint/no-require-imports */
const Dispatcher = __webpack_require__(883);
// As undici's entry does: request(), connect() (used by ProxyAgent's tunnel) etc. are mixed into every dispatcher.
Object.assign(Dispatcher.prototype, __webpack_require__(6615));
const Agent = __webpack_require__(7405);
const ProxyAgent = __webpack_require__(6672);
/* eslint-enable @typescript-eslint/no-require-imports */
/** undici's published files the HTTP layer uses; loaded through shared/http/undici.ts only. */
const parts = {
    Agent,
    ProxyAgent,
    // What undici's top-level request() does with a URL before calling the same method on the dispatcher.
    request: (dispatcher, url, options) => {
        const { origin, pathname, search } = new URL(url);
        return dispatcher.request({ ...options, origin, path: `${pathname}${search}` });
    },
};


/***/ })

};
;