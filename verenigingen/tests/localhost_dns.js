// Preloaded into the test's socketio server (node -r): *.localhost names resolve to 127.0.0.1, as in
// the browser, so the server can call back to the test site (e.g. h-pages.localhost) for a user's session.
const dns = require("dns");

const lookup = dns.lookup;
dns.lookup = function (hostname, options, callback) {
	if (typeof hostname === "string" && hostname.endsWith(".localhost")) {
		const done = typeof options === "function" ? options : callback;
		const all = typeof options === "object" && options && options.all;
		return process.nextTick(() =>
			all ? done(null, [{ address: "127.0.0.1", family: 4 }]) : done(null, "127.0.0.1", 4)
		);
	}
	return lookup.apply(this, arguments);
};
