/**
 * The `request.cf` object of incoming requests, built inside the isolate the first time user code
 * reads it. Hearth never goes to the network for it: local values are fixed and plausible (the
 * same fallback miniflare uses), with the few per-request fields filled in.
 */
const LOCAL_CF = {
  asn: 395747,
  asOrganization: "Hearth Local",
  colo: "DFW",
  country: "US",
  isEUCountry: false,
  city: "Austin",
  continent: "NA",
  region: "Texas",
  regionCode: "TX",
  metroCode: "635",
  postalCode: "78701",
  timezone: "America/Chicago",
  latitude: "30.27130",
  longitude: "-97.74260",
  clientTcpRtt: 0,
  edgeRequestKeepAliveStatus: 1,
  requestPriority: "",
  tlsCipher: "AEAD-AES256-GCM-SHA384",
  tlsClientAuth: {
    certPresented: "0",
    certVerified: "NONE",
    certRevoked: "0",
    certIssuerDN: "",
    certSubjectDN: "",
    certIssuerDNRFC2253: "",
    certSubjectDNRFC2253: "",
    certIssuerDNLegacy: "",
    certSubjectDNLegacy: "",
    certSerial: "",
    certIssuerSerial: "",
    certSKI: "",
    certIssuerSKI: "",
    certFingerprintSHA1: "",
    certFingerprintSHA256: "",
    certNotBefore: "",
    certNotAfter: "",
  },
  botManagement: { corporateProxy: false, verifiedBot: false, jsDetection: { passed: false }, staticResource: false, detectionIds: [], score: 99 },
} as const;

/** Defines `request.cf` as a lazy, cached property. `overrides` come from the caller (e.g. the library's `cf` option). */
export function defineRequestCf(request: Request, httpVersion: string, overrides: Record<string, unknown> | undefined): void {
  let cf: Record<string, unknown> | undefined;
  Object.defineProperty(request, "cf", {
    configurable: true,
    enumerable: false,
    get() {
      cf ??= {
        ...LOCAL_CF,
        httpProtocol: `HTTP/${httpVersion}`,
        tlsVersion: "",
        clientAcceptEncoding: request.headers.get("accept-encoding") ?? "",
        ...overrides,
      };
      return cf;
    },
  });
}
