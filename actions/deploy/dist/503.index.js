"use strict";
exports.id = 503;
exports.ids = [503];
exports.modules = {

/***/ 3503:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  "default": () => (/* binding */ deploy)
});

// EXTERNAL MODULE: ./shared/capability.ts + 4 modules
var capability = __webpack_require__(750);
// EXTERNAL MODULE: ./shared/capabilities/deploy/definition.ts + 1 modules
var definition = __webpack_require__(9294);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./shared/helm/chart/harbor-1.19.2-values.json
const harbor_1_19_2_values_namespaceObject = /*#__PURE__*/JSON.parse('{"expose":{"type":"ingress","tls":{"enabled":true,"certSource":"auto","auto":{"commonName":""},"secret":{"secretName":""}},"ingress":{"hosts":{"core":"core.harbor.domain"},"controller":"default","kubeVersionOverride":"","className":"","annotations":{"ingress.kubernetes.io/ssl-redirect":"true","ingress.kubernetes.io/proxy-body-size":"0","nginx.ingress.kubernetes.io/ssl-redirect":"true","nginx.ingress.kubernetes.io/proxy-body-size":"0"},"labels":{}},"route":{"labels":{},"annotations":{},"parentRefs":[],"hosts":[]},"clusterIP":{"name":"harbor","staticClusterIP":"","ports":{"httpPort":80,"httpsPort":443},"annotations":{},"labels":{}},"nodePort":{"name":"harbor","ports":{"http":{"port":80,"nodePort":30002},"https":{"port":443,"nodePort":30003}},"annotations":{},"labels":{}},"loadBalancer":{"name":"harbor","IP":"","ports":{"httpPort":80,"httpsPort":443},"annotations":{},"labels":{},"sourceRanges":[]}},"externalURL":"https://core.harbor.domain","persistence":{"enabled":true,"resourcePolicy":"keep","persistentVolumeClaim":{"registry":{"existingClaim":"","storageClass":"","subPath":"","accessMode":"ReadWriteOnce","size":"5Gi","annotations":{}},"jobservice":{"jobLog":{"existingClaim":"","storageClass":"","subPath":"","accessMode":"ReadWriteOnce","size":"1Gi","annotations":{}}},"database":{"existingClaim":"","storageClass":"","subPath":"","accessMode":"ReadWriteOnce","size":"1Gi","annotations":{}},"redis":{"existingClaim":"","storageClass":"","subPath":"","accessMode":"ReadWriteOnce","size":"1Gi","annotations":{}},"trivy":{"existingClaim":"","storageClass":"","subPath":"","accessMode":"ReadWriteOnce","size":"5Gi","annotations":{}}},"imageChartStorage":{"disableredirect":false,"type":"filesystem","filesystem":{"rootdirectory":"/storage"},"azure":{"accountname":"accountname","accountkey":"base64encodedaccountkey","container":"containername","existingSecret":""},"gcs":{"bucket":"bucketname","encodedkey":"base64-encoded-json-key-file","existingSecret":"","useWorkloadIdentity":false},"s3":{"region":"us-west-1","bucket":"bucketname"},"swift":{"authurl":"https://storage.myprovider.com/v3/auth","username":"username","password":"password","container":"containername","existingSecret":""},"oss":{"accesskeyid":"accesskeyid","accesskeysecret":"accesskeysecret","region":"regionname","bucket":"bucketname","existingSecret":""}}},"existingSecretAdminPassword":"","existingSecretAdminPasswordKey":"HARBOR_ADMIN_PASSWORD","harborAdminPassword":"Harbor12345","internalTLS":{"enabled":false,"strong_ssl_ciphers":false,"certSource":"auto","trustCa":"","core":{"secretName":"","crt":"","key":""},"jobservice":{"secretName":"","crt":"","key":""},"registry":{"secretName":"","crt":"","key":""},"portal":{"secretName":"","crt":"","key":""},"trivy":{"secretName":"","crt":"","key":""}},"ipFamily":{"ipv6":{"enabled":true},"ipv4":{"enabled":true},"policy":"","families":[]},"imagePullPolicy":"IfNotPresent","imagePullSecrets":null,"updateStrategy":{"type":"RollingUpdate"},"logLevel":"info","caSecretName":"","secretKey":"not-a-secure-key","existingSecretSecretKey":"","proxy":{"httpProxy":null,"httpsProxy":null,"noProxy":"127.0.0.1,localhost,.local,.internal","components":["core","jobservice","trivy"]},"enableMigrateHelmHook":false,"metrics":{"enabled":false,"core":{"path":"/metrics","port":8001},"registry":{"path":"/metrics","port":8001},"jobservice":{"path":"/metrics","port":8001},"exporter":{"path":"/metrics","port":8001},"serviceMonitor":{"enabled":false,"additionalLabels":{},"interval":"","metricRelabelings":[],"relabelings":[]}},"trace":{"enabled":false,"provider":"jaeger","sample_rate":1,"jaeger":{"endpoint":"http://hostname:14268/api/traces"},"otel":{"endpoint":"hostname:4318","url_path":"/v1/traces","compression":false,"insecure":true,"timeout":10}},"cache":{"enabled":false,"expireHours":24},"containerSecurityContext":{"privileged":false,"allowPrivilegeEscalation":false,"seccompProfile":{"type":"RuntimeDefault"},"runAsNonRoot":true,"capabilities":{"drop":["ALL"]}},"nginx":{"image":{"repository":"docker.io/goharbor/nginx-photon","tag":"v2.15.2"},"serviceAccountName":"","automountServiceAccountToken":false,"replicas":1,"podDisruptionBudget":{"enabled":false,"minAvailable":1},"revisionHistoryLimit":10,"extraEnvVars":[],"nodeSelector":{},"tolerations":[],"affinity":{},"topologySpreadConstraints":[],"podAnnotations":{},"podLabels":{},"priorityClassName":null,"livenessProbe":{"initialDelaySeconds":300,"periodSeconds":10,"timeoutSeconds":1,"failureThreshold":3,"successThreshold":1},"readinessProbe":{"initialDelaySeconds":1,"periodSeconds":10,"timeoutSeconds":1,"failureThreshold":3,"successThreshold":1}},"portal":{"image":{"repository":"docker.io/goharbor/harbor-portal","tag":"v2.15.2"},"serviceAccountName":"","automountServiceAccountToken":false,"replicas":1,"podDisruptionBudget":{"enabled":false,"minAvailable":1},"revisionHistoryLimit":10,"extraEnvVars":[],"nodeSelector":{},"tolerations":[],"affinity":{},"topologySpreadConstraints":[],"podAnnotations":{},"podLabels":{},"serviceAnnotations":{},"priorityClassName":null,"livenessProbe":{"initialDelaySeconds":300,"periodSeconds":10,"timeoutSeconds":1,"failureThreshold":3,"successThreshold":1},"readinessProbe":{"initialDelaySeconds":1,"periodSeconds":10,"timeoutSeconds":1,"failureThreshold":3,"successThreshold":1},"initContainers":[]},"core":{"image":{"repository":"docker.io/goharbor/harbor-core","tag":"v2.15.2"},"serviceAccountName":"","automountServiceAccountToken":false,"replicas":1,"podDisruptionBudget":{"enabled":false,"minAvailable":1},"revisionHistoryLimit":10,"startupProbe":{"enabled":true,"initialDelaySeconds":10,"periodSeconds":10,"timeoutSeconds":1,"failureThreshold":360,"successThreshold":1},"livenessProbe":{"initialDelaySeconds":0,"periodSeconds":10,"timeoutSeconds":1,"failureThreshold":2,"successThreshold":1},"readinessProbe":{"initialDelaySeconds":0,"periodSeconds":10,"timeoutSeconds":1,"failureThreshold":2,"successThreshold":1},"extraEnvVars":[],"nodeSelector":{},"tolerations":[],"affinity":{},"topologySpreadConstraints":[],"podAnnotations":{},"podLabels":{},"serviceAnnotations":{},"priorityClassName":null,"initContainers":[],"configureUserSettings":null,"quotaUpdateProvider":"db","secret":"","existingSecret":"","secretName":"","tokenKey":"","tokenCert":"","xsrfKey":"","existingXsrfSecret":"","existingXsrfSecretKey":"CSRF_KEY","artifactPullAsyncFlushDuration":null,"gdpr":{"deleteUser":false,"auditLogsCompliant":false}},"jobservice":{"image":{"repository":"docker.io/goharbor/harbor-jobservice","tag":"v2.15.2"},"replicas":1,"podDisruptionBudget":{"enabled":false,"minAvailable":1},"revisionHistoryLimit":10,"serviceAccountName":"","automountServiceAccountToken":false,"livenessProbe":{"initialDelaySeconds":300,"periodSeconds":10,"timeoutSeconds":1,"failureThreshold":3,"successThreshold":1},"readinessProbe":{"initialDelaySeconds":20,"periodSeconds":10,"timeoutSeconds":1,"failureThreshold":3,"successThreshold":1},"extraEnvVars":[],"nodeSelector":{},"tolerations":[],"affinity":{},"topologySpreadConstraints":null,"podAnnotations":{},"podLabels":{},"priorityClassName":null,"initContainers":[],"maxJobWorkers":10,"jobLoggers":["file"],"loggerSweeperDuration":14,"notification":{"webhook_job_max_retry":3,"webhook_job_http_client_timeout":3},"reaper":{"max_update_hours":24,"max_dangling_hours":168},"secret":"","existingSecret":"","existingSecretKey":"JOBSERVICE_SECRET","registryHttpClientTimeout":30},"registry":{"registry":{"image":{"repository":"docker.io/goharbor/registry-photon","tag":"v2.15.2"},"extraEnvVars":[],"livenessProbe":{"initialDelaySeconds":300,"periodSeconds":10,"timeoutSeconds":1,"failureThreshold":3,"successThreshold":1},"readinessProbe":{"initialDelaySeconds":1,"periodSeconds":10,"timeoutSeconds":1,"failureThreshold":3,"successThreshold":1}},"controller":{"image":{"repository":"docker.io/goharbor/harbor-registryctl","tag":"v2.15.2"},"extraEnvVars":[],"livenessProbe":{"initialDelaySeconds":300,"periodSeconds":10,"timeoutSeconds":1,"failureThreshold":3,"successThreshold":1},"readinessProbe":{"initialDelaySeconds":1,"periodSeconds":10,"timeoutSeconds":1,"failureThreshold":3,"successThreshold":1}},"serviceAccountName":"","automountServiceAccountToken":false,"replicas":1,"podDisruptionBudget":{"enabled":false,"minAvailable":1},"revisionHistoryLimit":10,"nodeSelector":{},"tolerations":[],"affinity":{},"topologySpreadConstraints":[],"podAnnotations":{},"podLabels":{},"priorityClassName":null,"initContainers":[],"secret":"","existingSecret":"","existingSecretKey":"REGISTRY_HTTP_SECRET","relativeurls":false,"credentials":{"username":"harbor_registry_user","password":"harbor_registry_password","existingSecret":"","htpasswdString":""},"middleware":{"enabled":false,"type":"cloudFront","cloudFront":{"baseurl":"example.cloudfront.net","keypairid":"KEYPAIRID","duration":"3000s","ipfilteredby":"none","privateKeySecret":"my-secret"}},"upload_purging":{"enabled":true,"age":"168h","interval":"24h","dryrun":false}},"trivy":{"enabled":true,"image":{"repository":"docker.io/goharbor/trivy-adapter-photon","tag":"v2.15.2"},"serviceAccountName":"","automountServiceAccountToken":false,"replicas":1,"podDisruptionBudget":{"enabled":false,"minAvailable":1},"resources":{"requests":{"cpu":"200m","memory":"512Mi"},"limits":{"cpu":1,"memory":"1Gi"}},"livenessProbe":{"initialDelaySeconds":5,"periodSeconds":10,"timeoutSeconds":1,"failureThreshold":10,"successThreshold":1},"readinessProbe":{"initialDelaySeconds":5,"periodSeconds":10,"timeoutSeconds":1,"failureThreshold":3,"successThreshold":1},"extraEnvVars":[],"nodeSelector":{},"tolerations":[],"affinity":{},"topologySpreadConstraints":[],"podAnnotations":{},"podLabels":{},"priorityClassName":null,"initContainers":[],"debugMode":false,"vulnType":"os,library","severity":"UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL","ignoreUnfixed":false,"insecure":false,"gitHubToken":"","skipUpdate":false,"skipJavaDBUpdate":false,"dbRepository":["mirror.gcr.io/aquasec/trivy-db","ghcr.io/aquasecurity/trivy-db"],"javaDBRepository":["mirror.gcr.io/aquasec/trivy-java-db","ghcr.io/aquasecurity/trivy-java-db"],"offlineScan":false,"securityCheck":"vuln","timeout":"5m0s"},"database":{"type":"internal","internal":{"image":{"repository":"docker.io/goharbor/harbor-db","tag":"v2.15.2"},"serviceAccountName":"","automountServiceAccountToken":false,"livenessProbe":{"initialDelaySeconds":300,"periodSeconds":10,"timeoutSeconds":1,"failureThreshold":3,"successThreshold":1},"readinessProbe":{"initialDelaySeconds":1,"periodSeconds":10,"timeoutSeconds":1,"failureThreshold":3,"successThreshold":1},"extraEnvVars":[],"nodeSelector":{},"tolerations":[],"affinity":{},"priorityClassName":null,"extrInitContainers":[],"password":"changeit","shmSizeLimit":"512Mi","initContainer":{"migrator":{},"permissions":{}}},"external":{"host":"192.168.0.1","port":"5432","username":"user","password":"password","coreDatabase":"registry","existingSecret":"","sslmode":"disable"},"maxIdleConns":100,"maxOpenConns":900,"podAnnotations":{},"podLabels":{}},"redis":{"type":"internal","internal":{"image":{"repository":"docker.io/goharbor/valkey-photon","tag":"v2.15.2"},"serviceAccountName":"","automountServiceAccountToken":false,"livenessProbe":{"initialDelaySeconds":300,"periodSeconds":10,"timeoutSeconds":1,"failureThreshold":3,"successThreshold":1},"readinessProbe":{"initialDelaySeconds":1,"periodSeconds":10,"timeoutSeconds":1,"failureThreshold":3,"successThreshold":1},"extraEnvVars":[],"nodeSelector":{},"tolerations":[],"affinity":{},"priorityClassName":null,"initContainers":[],"jobserviceDatabaseIndex":"1","registryDatabaseIndex":"2","trivyAdapterIndex":"5"},"external":{"addr":"192.168.0.2:6379","sentinelMasterSet":"","tlsOptions":{"enable":false},"coreDatabaseIndex":"0","jobserviceDatabaseIndex":"1","registryDatabaseIndex":"2","trivyAdapterIndex":"5","username":"","password":"","existingSecret":""},"podAnnotations":{},"podLabels":{}},"exporter":{"image":{"repository":"docker.io/goharbor/harbor-exporter","tag":"v2.15.2"},"serviceAccountName":"","automountServiceAccountToken":false,"replicas":1,"podDisruptionBudget":{"enabled":false,"minAvailable":1},"revisionHistoryLimit":10,"livenessProbe":{"initialDelaySeconds":300,"periodSeconds":10,"timeoutSeconds":1,"failureThreshold":3,"successThreshold":1},"readinessProbe":{"initialDelaySeconds":30,"periodSeconds":10,"timeoutSeconds":1,"failureThreshold":3,"successThreshold":1},"extraEnvVars":[],"podAnnotations":{},"podLabels":{},"nodeSelector":{},"tolerations":[],"affinity":{},"topologySpreadConstraints":[],"priorityClassName":null,"cacheDuration":23,"cacheCleanInterval":14400}}');
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./shared/helm/values.ts

function isMap(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/**
 * Helm's merge of values files: maps merge key by key, everything else (lists included) is replaced by the later
 * value. Neither input is modified.
 */
function mergeValues(base, override) {
    const out = { ...base };
    for (const [key, value] of Object.entries(override)) {
        out[key] = isMap(out[key]) && isMap(value) ? mergeValues(out[key], value) : value;
    }
    return out;
}
/** Sets a value at a path, creating maps on the way (a scalar in the way is replaced, as helm --set does). */
function setPath(values, path, value) {
    let node = values;
    for (const key of path.slice(0, -1)) {
        if (!isMap(node[key]))
            node[key] = {};
        node = node[key];
    }
    node[path[path.length - 1]] = value;
}
function getPath(values, path) {
    let node = values;
    for (const key of path) {
        if (!isMap(node))
            return undefined;
        node = node[key];
    }
    return node;
}
/** Every leaf path of a values tree (lists and empty maps count as leaves). */
function leafPaths(values, prefix = []) {
    const paths = [];
    for (const [key, value] of Object.entries(values)) {
        const path = [...prefix, key];
        if (isMap(value) && Object.keys(value).length > 0)
            paths.push(...leafPaths(value, path));
        else
            paths.push(path);
    }
    return paths;
}
/** A path as a user reads it: `expose.ingress.annotations."cert-manager.io/cluster-issuer"`. */
function formatPath(path) {
    return path.map((k) => (/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k))).join('.');
}
/**
 * One `--set` style assignment, `a.b[0].c=value`, parsed as helm 3's strvals does for a single assignment: `\.`
 * escapes a dot inside a key, `true`/`false`/`null` and integers without a leading zero become typed values,
 * anything else stays a string. Lists by index are supported; helm's `{a,b}` list literal is not (use values-files).
 */
function parseSetAssignment(text) {
    const eq = findUnescaped(text, '=');
    if (eq <= 0)
        return undefined;
    const keyText = text.slice(0, eq).trim();
    const raw = text.slice(eq + 1).trim();
    const path = [];
    let current = '';
    for (let i = 0; i < keyText.length; i++) {
        const c = keyText[i];
        if (c === '\\' && i + 1 < keyText.length) {
            current += keyText[++i];
        }
        else if (c === '.') {
            if (current === '')
                return undefined;
            path.push(current);
            current = '';
        }
        else {
            current += c;
        }
    }
    if (current === '')
        return undefined;
    path.push(current);
    return { path, value: typedValue(raw) };
}
function findUnescaped(text, char) {
    for (let i = 0; i < text.length; i++) {
        if (text[i] === '\\')
            i++;
        else if (text[i] === char)
            return i;
    }
    return -1;
}
function typedValue(raw) {
    if (raw === 'true')
        return true;
    if (raw === 'false')
        return false;
    if (raw === 'null')
        return null;
    if (raw === '0')
        return 0;
    if (/^-?[1-9]\d{0,15}$/.test(raw))
        return Number(raw);
    return raw;
}
/** Applies one parsed assignment, honouring `key[n]` list indexes in path segments. */
function applyAssignment(values, path, value) {
    let node = values;
    const steps = path.flatMap((segment) => {
        const m = /^(.*?)((?:\[\d+\])+)$/.exec(segment);
        if (!m)
            return [segment];
        return [m[1], ...[...m[2].matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]))].filter((s) => s !== '');
    });
    for (let i = 0; i < steps.length; i++) {
        const step = steps[i];
        const last = i === steps.length - 1;
        const nextIsIndex = !last && typeof steps[i + 1] === 'number';
        const container = node;
        if (last) {
            container[step] = value;
        }
        else {
            const existing = container[step];
            const fits = nextIsIndex ? Array.isArray(existing) : isMap(existing);
            if (!fits)
                container[step] = nextIsIndex ? [] : {};
            node = container[step];
        }
    }
}
/** Canonical JSON (sorted keys), so the digest depends on the values, not on the order they were built in. */
function canonicalJson(value) {
    if (Array.isArray(value))
        return `[${value.map(canonicalJson).join(',')}]`;
    if (isMap(value)) {
        return `{${Object.keys(value)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
            .join(',')}}`;
    }
    return JSON.stringify(value ?? null);
}
/** sha256 of the canonical values: lets a pipeline tell whether two deploys used the same settings without the values. */
function valuesDigest(values) {
    return `sha256:${(0,external_node_crypto_.createHash)('sha256').update(canonicalJson(values)).digest('hex')}`;
}
/**
 * Leaf-by-leaf difference between two values trees. Values under a secret path are never rendered: the change is
 * reported as `(secret)`.
 */
function diffValues(before, after, isSecret) {
    const changes = [];
    const show = (path, v) => v === undefined ? undefined : isSecret(path) ? '(secret)' : canonicalJson(v);
    const keys = new Map();
    for (const p of [...leafPaths(before), ...leafPaths(after)])
        keys.set(JSON.stringify(p), p);
    for (const path of [...keys.values()].sort((a, b) => formatPath(a).localeCompare(formatPath(b)))) {
        const a = getPath(before, path);
        const b = getPath(after, path);
        if (canonicalJson(a) === canonicalJson(b))
            continue;
        // A leaf on one side may be a subtree on the other; compare only real leaves.
        if (isMap(a) && Object.keys(a).length > 0 && b === undefined)
            continue;
        if (isMap(b) && Object.keys(b).length > 0 && a === undefined)
            continue;
        const kind = a === undefined ? 'added' : b === undefined ? 'removed' : 'changed';
        changes.push({ path: formatPath(path), kind, before: show(path, a), after: show(path, b) });
    }
    return changes;
}

// EXTERNAL MODULE: ./shared/helm/pinned-chart.ts
var pinned_chart = __webpack_require__(9560);
;// CONCATENATED MODULE: ./shared/helm/chart-values.ts




/**
 * The default values of the pinned chart (./pinned-chart), shipped in the bundle: goharbor/harbor-helm's values.yaml
 * for this version as JSON (comments dropped, so the bundler inlines it; a test keeps it equal to the reference
 * values.yaml). Other chart versions are validated against `helm show values` of that version instead.
 */
function pinnedChartValues() {
    return harbor_1_19_2_values_namespaceObject;
}
function parseChartValues(text) {
    // helm's YAML is 1.1 (go-yaml through sigs.k8s.io/yaml).
    const doc = (0,dist/* parse */.qg)(text, { version: '1.1' });
    if (!isMap(doc))
        throw new Error('chart values.yaml is not a map');
    return doc;
}
/**
 * Maps whose keys are free-form (annotations, labels, selectors): any key below them is valid even though the chart's
 * values.yaml cannot list it.
 */
const FREE_FORM = new Set([
    'annotations',
    'labels',
    'podAnnotations',
    'podLabels',
    'serviceAnnotations',
    'nodeSelector',
]);
/**
 * The paths of `values` that the chart does not know. A path is known when every segment exists in the chart's
 * values.yaml, or when it goes below a free-form map, an empty map, a list or a null default (the chart documents
 * those with commented examples, e.g. `topologySpreadConstraints:` or `caBundleSecretName`).
 */
function unknownPaths(values, chart) {
    return leafPaths(values).filter((path) => !knownPath(path, chart));
}
function knownPath(path, chart) {
    let node = chart;
    for (const key of path) {
        if (!isMap(node))
            return true; // list, scalar placeholder or null: the chart takes whatever shape is given here
        if (!(key in node))
            return false;
        if (FREE_FORM.has(key))
            return true;
        node = node[key];
        if (node === null || (isMap(node) && Object.keys(node).length === 0))
            return true;
    }
    return true;
}
/** The closest known sibling of an unknown path's first unknown segment, for "did you mean" hints. */
function suggestPath(path, chart) {
    let node = chart;
    const known = [];
    for (const key of path) {
        if (!isMap(node))
            return undefined;
        if (!(key in node)) {
            const best = Object.keys(node)
                .map((k) => ({ k, d: editDistance(k.toLowerCase(), key.toLowerCase()) }))
                .sort((a, b) => a.d - b.d)[0];
            return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? formatPath([...known, best.k]) : undefined;
        }
        known.push(key);
        node = node[key];
    }
    return undefined;
}
function editDistance(a, b) {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let diag = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const next = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
            diag = next;
        }
    }
    return row[b.length];
}

;// CONCATENATED MODULE: ./shared/helm/harbor-profiles.ts

const STORAGE_COMPONENTS = ['registry', 'jobservice', 'database', 'redis', 'trivy'];
const REPLICA_COMPONENTS = ['portal', 'core', 'jobservice', 'registry', 'trivy'];
/** The seed's storage classes: Azure Disk premium (03, 04) and its zone-redundant disk and Azure Files twins (05). */
const MANAGED_DISK_CLASS = 'managed-csi-premium';
const ZRS_DISK_CLASS = 'managed-csi-premium-zrs';
const ZRS_FILE_CLASS = 'azurefile-csi-premium-zrs';
const CERT_MANAGER_ISSUER_ANNOTATION = 'cert-manager.io/cluster-issuer';
/** Lets cert-manager solve HTTP-01 through Harbor's own ingress instead of a second one (the seed sets it too). */
const ACME_EDIT_IN_PLACE_ANNOTATION = 'acme.cert-manager.io/http01-edit-in-place';
/** Where each component's volume lives in the chart. */
const PVC_PATH = {
    registry: ['persistence', 'persistentVolumeClaim', 'registry'],
    jobservice: ['persistence', 'persistentVolumeClaim', 'jobservice', 'jobLog'],
    database: ['persistence', 'persistentVolumeClaim', 'database'],
    redis: ['persistence', 'persistentVolumeClaim', 'redis'],
    trivy: ['persistence', 'persistentVolumeClaim', 'trivy'],
};
/**
 * The guide's volume sizes (its registrySize, jobserviceJobLogSize, databaseSize, redisSize, trivySize): the chart's
 * own defaults (registry 5Gi, the others 1Gi to 5Gi) fill up within days on a production registry.
 */
const GUIDE_SIZES = {
    registry: '256Gi',
    jobservice: '8Gi',
    database: '8Gi',
    redis: '8Gi',
    trivy: '8Gi',
};
/** The guide sets every replica count explicitly (its variables: 1 each). */
const ONE_EACH = { portal: 1, core: 1, jobservice: 1, registry: 1, trivy: 1 };
const PROFILES = {
    // 03: everything in-cluster on premium Azure Disks (ReadWriteOnce, one replica of each stateful part).
    'managed-disks': {
        volumes: STORAGE_COMPONENTS,
        storageClass: Object.fromEntries(STORAGE_COMPONENTS.map((c) => [c, MANAGED_DISK_CLASS])),
        accessMode: {},
        replicas: ONE_EACH,
        spread: false,
    },
    // 04: PostgreSQL and Redis are managed services outside the cluster; no volumes for them.
    'external-services': {
        volumes: ['registry', 'jobservice', 'trivy'],
        storageClass: { registry: MANAGED_DISK_CLASS, jobservice: MANAGED_DISK_CLASS, trivy: MANAGED_DISK_CLASS },
        accessMode: {},
        replicas: ONE_EACH,
        spread: false,
    },
    // 05: shared registry and job-log volumes on zone-redundant Azure Files (RWX, so replicas can run in every zone);
    // database, Redis and Trivy keep one replica on zone-redundant disks that can re-attach in another zone. Where this
    // differs from the guide (Trivy's volume, three replicas), shared/helm/guide.ts says why.
    'availability-zones': {
        volumes: STORAGE_COMPONENTS,
        storageClass: {
            registry: ZRS_FILE_CLASS,
            jobservice: ZRS_FILE_CLASS,
            database: ZRS_DISK_CLASS,
            redis: ZRS_DISK_CLASS,
            trivy: ZRS_DISK_CLASS,
        },
        accessMode: { registry: 'ReadWriteMany', jobservice: 'ReadWriteMany' },
        replicas: { portal: 3, core: 3, jobservice: 3, registry: 3, trivy: 1 },
        spread: true,
    },
};
/** Spread over zones first, then over nodes inside a zone; ScheduleAnyway so a lost zone never blocks scheduling. */
const TOPOLOGY_SPREAD = [
    { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
    { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
];
/** The Deployments/StatefulSets the zones profile spreads; nginx exists only when the chart itself terminates TLS. */
function spreadComponents(expose) {
    return ['portal', 'core', 'jobservice', 'registry', 'trivy', 'exporter', ...(expose === 'ingress' ? [] : ['nginx'])];
}
/** The class, access mode and size a component's volume ends up with after profile defaults and inputs. */
function effectiveStorage(options, component) {
    const profile = PROFILES[options.profile];
    const own = options.storage[component] ?? {};
    const storageClass = own.storageClass ?? options.storageClass ?? profile.storageClass[component];
    // The profile's access mode belongs to the profile's class: RWX on a class the user chose could never bind.
    const classIsProfiles = own.storageClass === undefined && options.storageClass === undefined;
    const accessMode = own.accessMode ?? (classIsProfiles ? profile.accessMode[component] : undefined) ?? 'ReadWriteOnce';
    return { storageClass, accessMode, size: own.size ?? GUIDE_SIZES[component] };
}
function effectiveReplicas(options, component) {
    return options.replicas[component] ?? PROFILES[options.profile].replicas[component];
}
/**
 * The volumes of StatefulSets (harbor-helm templates/database/database-ss.yaml, templates/redis/statefulset.yaml,
 * templates/trivy/trivy-sts.yaml): their size lives in volumeClaimTemplates, which Kubernetes refuses to change on an
 * existing StatefulSet.
 */
const STATEFUL_VOLUMES = ['database', 'redis', 'trivy'];
/**
 * For an upgrade: each StatefulSet volume whose size the user did not give keeps the size the release has (its values,
 * else the chart's default), so a release installed with other defaults (the chart's, or an earlier version of this
 * step) upgrades instead of failing on a forbidden volumeClaimTemplates change. Returns what was kept.
 */
function keepStatefulSetSizes(options, deployed, chart) {
    const kept = [];
    for (const component of STATEFUL_VOLUMES) {
        if (!PROFILES[options.profile].volumes.includes(component) || options.storage[component]?.size !== undefined)
            continue;
        const path = [...PVC_PATH[component], 'size'];
        const size = getPath(deployed, path) ?? getPath(chart, path);
        if (typeof size !== 'string' || size === effectiveStorage(options, component).size)
            continue;
        options.storage[component] = { ...options.storage[component], size };
        kept.push({ component, size });
    }
    return kept;
}
function harborValues(options) {
    const values = {};
    const secretPaths = [];
    const set = (path, value) => {
        if (value !== undefined)
            setPath(values, path, value);
    };
    const secret = (path, value) => {
        if (value === undefined)
            return;
        set(path, value);
        secretPaths.push(path);
    };
    const profile = PROFILES[options.profile];
    set(['externalURL'], `https://${options.hostname}`);
    // An ingress host and a certificate name are bare names: Kubernetes refuses `host:port` in either.
    const host = options.hostname.replace(/:\d+$/, '');
    set(['expose', 'type'], options.expose);
    set(['expose', 'tls', 'enabled'], true);
    const tlsSecret = options.tlsSecret ?? (options.certManagerIssuer ? `${options.release}-tls` : undefined);
    if (tlsSecret) {
        set(['expose', 'tls', 'certSource'], 'secret');
        set(['expose', 'tls', 'secret', 'secretName'], tlsSecret);
    }
    else {
        set(['expose', 'tls', 'certSource'], 'auto');
        if (options.expose !== 'ingress')
            set(['expose', 'tls', 'auto', 'commonName'], host);
    }
    if (options.expose === 'ingress') {
        set(['expose', 'ingress', 'className'], options.ingressClass);
        set(['expose', 'ingress', 'hosts', 'core'], host);
        if (options.certManagerIssuer) {
            set(['expose', 'ingress', 'annotations', CERT_MANAGER_ISSUER_ANNOTATION], options.certManagerIssuer);
            set(['expose', 'ingress', 'annotations', ACME_EDIT_IN_PLACE_ANNOTATION], 'true');
        }
    }
    secret(['harborAdminPassword'], options.adminPassword);
    set(['persistence', 'enabled'], true);
    for (const component of profile.volumes) {
        const storage = effectiveStorage(options, component);
        const pvc = PVC_PATH[component];
        if (storage.storageClass)
            set([...pvc, 'storageClass'], storage.storageClass);
        set([...pvc, 'accessMode'], storage.accessMode);
        if (storage.size)
            set([...pvc, 'size'], storage.size);
    }
    // The chart's own advice: a ReadWriteOnce volume cannot be mounted by the old and the new pod at once, so a rolling
    // update of registry or jobservice would hang on a multi-attach error.
    const rwo = ['registry', 'jobservice'].some((c) => effectiveStorage(options, c).accessMode === 'ReadWriteOnce');
    if (rwo)
        set(['updateStrategy', 'type'], 'Recreate');
    for (const component of REPLICA_COMPONENTS) {
        const replicas = effectiveReplicas(options, component);
        if (replicas !== undefined)
            set([component, 'replicas'], replicas);
    }
    if (profile.spread) {
        for (const component of spreadComponents(options.expose)) {
            set([component, 'topologySpreadConstraints'], TOPOLOGY_SPREAD.map((c) => ({ ...c })));
        }
    }
    if (options.profile === 'external-services') {
        const db = options.database ?? {};
        set(['database', 'type'], 'external');
        set(['database', 'external', 'host'], db.host);
        // The chart quotes the port as a string.
        set(['database', 'external', 'port'], String(db.port ?? 5432));
        set(['database', 'external', 'username'], db.username);
        secret(['database', 'external', 'password'], db.password);
        set(['database', 'external', 'coreDatabase'], db.name ?? 'registry');
        set(['database', 'external', 'sslmode'], db.sslmode ?? 'require');
        const redis = options.redis ?? {};
        set(['redis', 'type'], 'external');
        set(['redis', 'external', 'addr'], redis.addr);
        secret(['redis', 'external', 'password'], redis.password);
        if (redis.tls)
            set(['redis', 'external', 'tlsOptions', 'enable'], true);
    }
    return { values, secretPaths };
}

// EXTERNAL MODULE: ./shared/helm/helm-defaults.ts
var helm_defaults = __webpack_require__(7358);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:stream/promises"
var promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: ./shared/redact.ts
var redact = __webpack_require__(4781);
;// CONCATENATED MODULE: ./shared/kube/private-dir.ts


/**
 * A directory only this user can read (0700) for files that hold secrets — values files with passwords, kubeconfigs,
 * manifests — each written 0600 and all removed by `dispose`, also when the step fails.
 */
class PrivateDir {
    path;
    constructor(parent, prefix = 'harbor-deploy-') {
        // The runner's temp directory is not guaranteed to exist yet (e.g. RUNNER_TEMP before any action used it).
        (0,external_node_fs_.mkdirSync)(parent, { recursive: true });
        this.path = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(parent, prefix));
        (0,external_node_fs_.chmodSync)(this.path, 0o700);
    }
    write(name, content) {
        const file = (0,external_node_path_.join)(this.path, name);
        (0,external_node_fs_.writeFileSync)(file, content, { mode: 0o600 });
        // mode is only applied on creation; make sure a rewritten file is private too.
        (0,external_node_fs_.chmodSync)(file, 0o600);
        return file;
    }
    file(name) {
        return (0,external_node_path_.join)(this.path, name);
    }
    dispose() {
        (0,external_node_fs_.rmSync)(this.path, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./shared/helm/helm-install.ts









/**
 * Installs helm into the runner's tool cache from the official release archives (or a mirror with the same layout).
 * The archive URL is derived from the version — no GitHub API lookup that can be rate-limited into an old fallback —
 * and the archive must match the `.sha256sum` published next to it, or it is never unpacked.
 */
const OS = { linux: 'linux', darwin: 'darwin', win32: 'windows' };
const ARCH = {
    x64: 'amd64',
    arm64: 'arm64',
    arm: 'arm',
    ia32: '386',
    ppc64: 'ppc64le',
    s390x: 's390x',
};
function helmArchive(version, platform = process.platform, arch = process.arch) {
    const os = OS[platform];
    const cpu = ARCH[arch];
    if (!os || !cpu)
        throw new errors/* UserError */.yo(`helm has no release archive for ${platform}/${arch}; put helm on PATH instead`);
    const ext = os === 'windows' ? 'zip' : 'tar.gz';
    return {
        file: `helm-v${version}-${os}-${cpu}.${ext}`,
        folder: `${os}-${cpu}`,
        binary: os === 'windows' ? 'helm.exe' : 'helm',
    };
}
/**
 * `4.3.1` or `v4.3.1` → `4.3.1`; anything else is refused before a URL is built from it. Helm 3 and 4 publish
 * their archives and `.sha256sum` files under the same names on get.helm.sh, so one installer serves both.
 */
function normalizeHelmVersion(text, label) {
    const m = /^v?((\d+)\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/.exec(text.trim());
    if (!m)
        throw new errors/* UserError */.yo(`Input '${label}' must be an exact helm version like ${helm_defaults/* DEFAULT_HELM_VERSION */.K} (got '${text.trim()}')`);
    if (m[2] !== '3' && m[2] !== '4')
        throw new errors/* UserError */.yo(`Input '${label}' must be a Helm 3 or Helm 4 version like ${helm_defaults/* DEFAULT_HELM_VERSION */.K} (got '${text.trim()}')`);
    return m[1];
}
/** Returns the helm binary for `version`, from the tool cache or freshly downloaded and verified. */
async function installHelm(platform, http, version, mirror) {
    const archive = helmArchive(version);
    const cached = await platform.findCachedTool('helm', version);
    if (cached && (0,external_node_fs_.existsSync)((0,external_node_path_.join)(cached, archive.binary))) {
        platform.debug(`helm ${version} found in the tool cache: ${cached}`);
        return (0,external_node_path_.join)(cached, archive.binary);
    }
    const base = mirror.replace(/\/+$/, '');
    const url = `${base}/${archive.file}`;
    platform.info(`Downloading helm ${version} from ${(0,redact/* redactUrl */.BO)(url)}`);
    const expected = parseChecksum((await get(http, `${url}.sha256sum`)).text(), archive.file, url);
    const dir = new PrivateDir(platform.tempDir(), 'helm-install-');
    try {
        const file = dir.file(archive.file);
        const res = await get(http, url, true);
        const hash = (0,external_node_crypto_.createHash)('sha256');
        const tap = new external_node_stream_.Transform({
            transform(chunk, _enc, done) {
                hash.update(chunk);
                done(null, chunk);
            },
        });
        await (0,promises_.pipeline)(res.stream, tap, (0,external_node_fs_.createWriteStream)(file, { mode: 0o600 }));
        const actual = hash.digest('hex');
        if (actual !== expected) {
            throw new errors/* UserError */.yo(`helm ${version} from ${(0,redact/* redactUrl */.BO)(url)} does not match its published sha256 (expected ${expected}, got ${actual}); refusing to install it`);
        }
        const out = (0,external_node_path_.join)(dir.path, 'unpacked');
        (0,external_node_fs_.mkdirSync)(out);
        // tar unpacks .tar.gz everywhere and .zip on Windows (bsdtar), as the runners' own tool installers do.
        const args = archive.file.endsWith('.zip') ? ['-xf', file, '-C', out] : ['-xzf', file, '-C', out];
        const untar = await platform.exec('tar', args, { silent: true, ignoreReturnCode: true });
        if (untar.code !== 0 || !(0,external_node_fs_.existsSync)((0,external_node_path_.join)(out, archive.folder, archive.binary))) {
            throw new errors/* UserError */.yo(`Cannot unpack ${archive.file}: ${untar.stderr.trim() || `no ${archive.folder}/${archive.binary} inside`}`);
        }
        const cachedDir = await platform.cacheTool((0,external_node_path_.join)(out, archive.folder), 'helm', version);
        const binary = (0,external_node_path_.join)(cachedDir, archive.binary);
        (0,external_node_fs_.chmodSync)(binary, 0o755);
        platform.info(`helm ${version} verified (sha256 ${actual}) and cached`);
        return binary;
    }
    finally {
        dir.dispose();
    }
}
/** A `.sha256sum` file (`<hex>  <file>`) or a bare `.sha256` (`<hex>`). */
function parseChecksum(text, file, url) {
    for (const line of text.split(/\r?\n/)) {
        const [hex, name] = line.trim().split(/\s+/);
        if (/^[0-9a-f]{64}$/i.test(hex ?? '') && (name === undefined || name.replace(/^\*/, '') === file))
            return hex.toLowerCase();
    }
    throw new errors/* UserError */.yo(`No sha256 for ${file} in ${(0,redact/* redactUrl */.BO)(url)}.sha256sum; refusing to install an unverified helm`);
}
/** GET that follows a few redirects (mirrors often sit behind one) and fails with the remote's answer. */
async function get(http, url, stream = false) {
    let current = url;
    for (let hop = 0; hop < 5; hop++) {
        const res = await http.request({ method: 'GET', url: current, stream, timeoutMs: 120_000 });
        const location = res.headers.location;
        if ([301, 302, 303, 307, 308].includes(res.status) && location) {
            res.stream?.resume();
            current = new URL(location, current).toString();
            continue;
        }
        if (res.status !== 200) {
            res.stream?.resume();
            throw new errors/* UserError */.yo(`Downloading ${(0,redact/* redactUrl */.BO)(current)} answered ${res.status}; check helm-version and helm-mirror`);
        }
        return res;
    }
    throw new errors/* UserError */.yo(`Too many redirects downloading ${(0,redact/* redactUrl */.BO)(url)}`);
}

// EXTERNAL MODULE: ./node_modules/semver/index.js
var semver = __webpack_require__(2088);
;// CONCATENATED MODULE: ./shared/helm/helm-runner.ts



function chartArgs(chart) {
    if (chart.repo.startsWith('oci://'))
        return [chart.repo, '--version', chart.version];
    return [chart.name, '--repo', chart.repo, '--version', chart.version];
}
/**
 * The client version from `helm version --short` (`v3.22.0+g…`, `v4.3.1`). Only Helm 3 and 4 are accepted: Helm 2
 * needs Tiller and has other commands; a Helm 5 may change the flags this step builds, so it is refused until tested.
 */
function parseHelmVersion(output, binary) {
    const m = /\bv?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?/.exec(output);
    if (!m)
        throw new errors/* UserError */.yo(`Cannot tell which helm ${binary} is: 'helm version' printed no version`);
    const version = `${m[1]}.${m[2]}.${m[3]}${m[4] ?? ''}`;
    const major = Number(m[1]);
    if (major === 2) {
        throw new errors/* UserError */.yo(`helm ${version} at ${binary} is Helm 2, which needs Tiller and is not supported; use Helm 3 or 4 (helm-version)`);
    }
    if (major !== 3 && major !== 4)
        throw new errors/* UserError */.yo(`helm ${version} at ${binary} is not supported; use Helm 3 or 4 (helm-version)`);
    return { version, major };
}
/**
 * Runs helm with an argument array and the kubeconfig in the environment; nothing secret ever goes on its command line
 * (values travel in a 0600 file). Helm's stderr warnings are logged, not treated as failures: only the exit code fails
 * a step. Output is captured silently and logged through the platform, which masks registered secrets.
 */
class Helm {
    platform;
    binary;
    env;
    constructor(platform, binary, env = {}) {
        this.platform = platform;
        this.binary = binary;
        this.env = env;
    }
    /** The client version; anything but Helm 3 or 4 is refused. */
    async version() {
        // helm 2 prints `Client: v2.x` and then fails looking for Tiller, so the exit code alone says nothing.
        const res = await this.platform.exec(this.binary, ['version', '--short'], {
            env: this.env,
            silent: true,
            ignoreReturnCode: true,
        });
        const output = stripPullNotices(res.stdout);
        if (!/\d+\.\d+\.\d+/.test(output) && res.code !== 0) {
            throw new errors/* UserError */.yo(`Cannot tell which helm ${this.binary} is: 'helm version' failed (exit ${res.code}): ${lastLine(res.stderr)}`);
        }
        return parseHelmVersion(`${output}\n${res.stderr}`, this.binary);
    }
    /** `--dry-run=server` validates against the API server without changing it; older helm only knows the client form. */
    static dryRunFlag(version) {
        const v = (0,semver.coerce)(version);
        return v && (0,semver.lt)(v, '3.13.0') ? '--dry-run' : '--dry-run=server';
    }
    /**
     * The argv of the one `helm upgrade --install`; flags differ by major (helm.sh/helm v4 pkg/cmd/upgrade.go and
     * pkg/cmd/flags.go against v3 cmd/helm/upgrade.go). Every combination is run through both real helms in
     * test/integration/helm-real.test.ts.
     */
    upgradeArgs(options, helm) {
        const args = ['upgrade', '--install', options.release, ...chartArgs(options.chart)];
        args.push('--namespace', options.namespace, '--create-namespace', '-f', options.valuesFile);
        args.push(...applyArgs(options.applyMethod, helm));
        // Helm 4 renamed --atomic (kept as a deprecated alias that warns on every run).
        if (options.rollbackOnFailure && !options.dryRun)
            args.push(helm.major === 4 ? '--rollback-on-failure' : '--atomic');
        // A dry run creates nothing to wait for.
        if (options.dryRun)
            args.push(Helm.dryRunFlag(helm.version));
        else if (options.wait || options.rollbackOnFailure) {
            // Helm 3's --wait is a boolean (`--wait=legacy` is an invalid bool there); Helm 4's is a strategy, and a bare
            // --wait means `watcher`. The strategy is always spelled out on 4 so the log says which one ran.
            args.push(helm.major === 4 ? `--wait=${options.waitStrategy}` : '--wait');
        }
        // --timeout also bounds hooks, so it is passed with or without waiting.
        if (!options.dryRun)
            args.push('--timeout', `${Math.max(1, Math.ceil(options.timeoutMs / 1000))}s`);
        args.push('--output', 'json');
        return args;
    }
    async upgrade(options, helm) {
        const res = await this.run(this.upgradeArgs(options, helm), `helm upgrade --install ${options.release}`);
        return parseRelease(stripPullNotices(res.stdout), 'helm upgrade');
    }
    /** The values the deployed release was given, or undefined when the release does not exist yet. */
    async deployedValues(release, namespace) {
        const res = await this.run(['get', 'values', release, '--namespace', namespace, '--output', 'json'], `helm get values ${release}`, true);
        if (res.code !== 0) {
            if (/not found/i.test(res.stderr))
                return undefined;
            throw failure(`helm get values ${release}`, res);
        }
        const status = await this.run(['status', release, '--namespace', namespace, '--output', 'json'], `helm status ${release}`);
        const values = JSON.parse(stripPullNotices(res.stdout).trim() || 'null');
        return {
            values: isMap(values) ? values : {},
            revision: parseRelease(stripPullNotices(status.stdout), 'helm status').revision,
        };
    }
    /** The chart's default values, for validating keys against a chart version other than the pinned one. */
    async chartValues(chart) {
        const res = await this.run(['show', 'values', ...chartArgs(chart)], `helm show values ${chart.name} ${chart.version}`);
        return stripPullNotices(res.stdout);
    }
    async run(args, what, allowFailure = false) {
        this.platform.debug(`${this.binary} ${args.join(' ')}`);
        const res = await this.platform.exec(this.binary, args, { env: this.env, silent: true, ignoreReturnCode: true });
        for (const line of res.stderr.split(/\r?\n/).filter((l) => l.trim() !== '')) {
            const message = helmLogLine(line);
            if (res.code !== 0)
                this.platform.debug(line);
            else if (message.level === 'warning')
                this.platform.warning(`${what}: ${message.text}`);
            else if (message.level === 'debug')
                this.platform.debug(message.text);
            else
                this.platform.info(message.text, { foreign: true });
        }
        if (res.code !== 0 && !allowFailure)
            throw failure(what, res);
        return res;
    }
}
/**
 * One stderr line of either major: Helm 3 writes `WARNING: …` (and client-go's klog `W1201 …`); Helm 4 logs through
 * log/slog's text handler with the time removed (internal/logging/logging.go), e.g. `level=WARN msg="this chart is
 * deprecated"`, whose msg is quoted Go-style when it holds spaces or quotes.
 */
function helmLogLine(line) {
    const trimmed = line.trim();
    const slog = /^level=(DEBUG|INFO|WARN|ERROR)\s+msg=("(?:[^"\\]|\\.)*"|\S*)(.*)$/.exec(trimmed);
    if (slog) {
        const level = { DEBUG: 'debug', INFO: 'info', WARN: 'warning', ERROR: 'error' }[slog[1]];
        let text = slog[2];
        if (text.startsWith('"')) {
            try {
                text = JSON.parse(text);
            }
            catch {
                text = text.slice(1, -1);
            }
        }
        const attrs = slog[3].trim();
        return { level, text: attrs ? `${text} (${attrs})` : text };
    }
    const helm3 = /^WARNING:\s*(.*)$/i.exec(trimmed);
    if (helm3)
        return { level: 'warning', text: helm3[1] };
    if (/^W\d{4}\s/.test(trimmed))
        return { level: 'warning', text: trimmed };
    return { level: 'info', text: trimmed };
}
/**
 * Helm 4.2.1 and later print `Pulled: <ref>` and `Digest: <digest>` on stdout whenever a chart comes from an OCI
 * registry (pkg/registry/client.go Pull), also before `show values` and `--output json`; left in, they would parse
 * as two YAML keys or break the JSON. The deprecated-media-type notice from the same client goes too.
 */
function stripPullNotices(stdout) {
    return stdout
        .split(/(?<=\n)/)
        .filter((line) => !/^(Pulled: |Digest: sha256:|Warning: chart media type )/.test(line))
        .join('');
}
function applyArgs(method, helm) {
    if (helm.major === 3) {
        if (method === 'auto' || method === 'client-side')
            return [];
        throw new errors/* UserError */.yo(`apply-method '${method}' needs Helm 4 (helm ${helm.version} applies client-side only); use helm-version 4.x or apply-method 'auto'`);
    }
    switch (method) {
        case 'auto':
            return [];
        case 'client-side':
            return ['--server-side=false'];
        case 'server-side':
            return ['--server-side=true'];
        case 'server-side-force-conflicts':
            // Never --force-conflicts alone: with a client-side apply (`auto` on a release made by Helm 3) helm fails only
            // after the pre-upgrade hooks have run.
            return ['--server-side=true', '--force-conflicts'];
    }
}
function lastLine(text) {
    const lines = text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
    return lines[lines.length - 1] ?? '';
}
function failure(what, res) {
    const lines = res.stderr
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
    const error = [...lines].reverse().find((l) => l.startsWith('Error:')) ?? lines[lines.length - 1] ?? `exit code ${res.code}`;
    let hint = '';
    if (/another operation \(install\/upgrade\/rollback\) is in progress/i.test(error)) {
        hint =
            ' — an earlier deploy was interrupted and left the release pending; roll it back with helm rollback, then run again';
    }
    else if (/Kubernetes cluster unreachable|connection refused|no such host/i.test(error)) {
        hint = ' — check the kubeconfig or the Kubernetes service connection';
    }
    else if (/conflict occurred while applying object|Apply failed with \d+ conflicts?/i.test(error)) {
        // Helm 4 server-side apply (pkg/kube/client.go): another field manager (kubectl, an operator, Helm 3's
        // client-side apply) owns fields this release sets.
        hint =
            " — another field manager owns fields this release sets; set apply-method 'server-side-force-conflicts' to take them over, or 'client-side' to apply as Helm 3 did";
    }
    return new errors/* UserError */.yo(`${what} failed: ${error}${hint}`);
}
function parseRelease(stdout, what) {
    let doc;
    try {
        // Older helm 3 releases print "Release … does not exist. Installing it now." before the JSON.
        const start = stdout.search(/^\{/m);
        doc = JSON.parse(start >= 0 ? stdout.slice(start) : stdout);
    }
    catch {
        throw new errors/* UserError */.yo(`${what} did not print the release as JSON; is this helm 3 or later?`);
    }
    const rel = doc;
    if (typeof rel.version !== 'number')
        throw new errors/* UserError */.yo(`${what} printed no release revision`);
    return {
        revision: rel.version,
        status: rel.info?.status ?? 'unknown',
        manifest: rel.manifest,
        applyMethod: rel.apply_method,
    };
}

// EXTERNAL MODULE: ./shared/http/client.ts + 5 modules
var client = __webpack_require__(7108);
// EXTERNAL MODULE: ./shared/util/clock.ts
var util_clock = __webpack_require__(5977);
;// CONCATENATED MODULE: ./shared/util/poll.ts

/**
 * The one poll loop: calls `attempt` until it answers a value (not undefined), with capped exponential backoff, and
 * calls `timedOut` when the deadline ends it (which throws, or answers what the caller reports instead).
 */
async function pollWithBackoff(options, attempt, timedOut) {
    const clock = options.clock ?? util_clock/* systemClock */.ml;
    const maxDelay = options.maxDelayMs ?? options.initialDelayMs;
    const factor = options.factor ?? 2;
    const started = clock.now();
    const deadline = started + options.timeoutMs;
    let delay = options.initialDelayMs;
    if (options.startDelayMs !== undefined && options.startDelayMs > 0)
        await clock.sleep(Math.min(options.startDelayMs, Math.max(0, deadline - clock.now())));
    for (let n = 1;; n++) {
        let override;
        const overdue = options.atDeadline === 'last-poll' && clock.now() >= deadline;
        const turn = {
            attempt: n,
            elapsedMs: () => clock.now() - started,
            overdue,
            waitNext: (ms) => {
                override = ms;
            },
        };
        let value;
        try {
            value = await attempt(turn);
        }
        catch (error) {
            if (options.cutOff?.(error, turn))
                return timedOut();
            throw error;
        }
        if (value !== undefined)
            return value;
        const wait = override ?? delay;
        const left = deadline - clock.now();
        if (overdue || left <= 0)
            return timedOut();
        if (options.atDeadline !== 'last-poll' && wait >= left)
            return timedOut();
        if (wait > 0) {
            options.onWait?.(Math.min(wait, left));
            await clock.sleep(Math.min(wait, left));
        }
        if (override === undefined)
            delay = Math.min(Math.round(delay * factor), maxDelay);
    }
}

;// CONCATENATED MODULE: ./shared/azure/credentials.ts



const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
/** The audience Entra expects in federated (OIDC) assertions. */
const FEDERATION_AUDIENCE = 'api://AzureADTokenExchange';
/** Renew a little before expiry so a token never dies in the middle of a long-running operation. */
const EXPIRY_MARGIN_MS = 5 * 60_000;
/** Caches a token per scope until shortly before it expires. */
class CachingCredential {
    cache = new Map();
    async getToken(scope) {
        const cached = this.cache.get(scope);
        if (cached && cached.expiresOnMs - EXPIRY_MARGIN_MS > Date.now())
            return cached;
        const fresh = await this.fetchToken(scope);
        this.cache.set(scope, fresh);
        return fresh;
    }
}
/**
 * The Azure CLI's signed-in account (what `azure/login` leaves behind on GitHub). The token comes from
 * `az account get-access-token`: its output is captured silently and the token masked before anything else happens.
 */
class AzureCliCredential extends CachingCredential {
    platform;
    names;
    description = 'Azure CLI credential (az account get-access-token)';
    /** The CLI's current subscription, known after the first token. */
    subscriptionId;
    /** `names`: the OIDC inputs as the user spells them, for the advice in errors (this credential is GitHub's only). */
    constructor(platform, names = { clientId: 'client-id', tenantId: 'tenant-id' }) {
        super();
        this.platform = platform;
        this.names = names;
    }
    async fetchToken(scope) {
        const az = await this.platform.which('az');
        if (!az)
            throw new errors/* UserError */.yo(`Azure CLI (az) not found on PATH: run azure/login first, or set ${this.names.clientId} and ${this.names.tenantId} to sign in with OIDC`);
        const args = ['account', 'get-access-token', '--resource', scopeToResource(scope), '--output', 'json'];
        const result = await this.platform.exec(az, args, { silent: true, ignoreReturnCode: true });
        let parsed;
        try {
            parsed = JSON.parse(result.stdout);
        }
        catch {
            parsed = undefined;
        }
        if (parsed?.accessToken)
            this.platform.setSecret(parsed.accessToken);
        if (result.code !== 0 || !parsed?.accessToken) {
            const reason = result.stderr
                .split(/\r?\n/)
                .find((l) => l.trim() !== '')
                ?.replace(/^ERROR:\s*/, '')
                .trim();
            throw new errors/* UserError */.yo(`Azure CLI could not get an access token${reason ? `: ${reason}` : ''}; run azure/login before this step, or set ${this.names.clientId} and ${this.names.tenantId} to sign in with OIDC`);
        }
        this.subscriptionId = parsed.subscription;
        const expiresOnMs = parsed.expires_on
            ? parsed.expires_on * 1000
            : parsed.expiresOn
                ? Date.parse(parsed.expiresOn)
                : Date.now() + 60 * 60_000;
        return { token: parsed.accessToken, expiresOnMs };
    }
}
/** Where Azure's instance metadata service answers; @azure/identity honours the same override for pod identity. */
function imdsHost(env = process.env) {
    return (env.AZURE_POD_IDENTITY_AUTHORITY_HOST || 'http://169.254.169.254').replace(/\/+$/, '');
}
/**
 * The managed identity of the VM the agent runs on (the ADO AzureRM "ManagedServiceIdentity" scheme), from the
 * instance metadata service. `http` must not use a proxy: the service only answers on the link-local address.
 */
class ManagedIdentityCredential extends CachingCredential {
    http;
    platform;
    host;
    description = 'managed identity of the agent machine';
    constructor(http, platform, host = imdsHost()) {
        super();
        this.http = http;
        this.platform = platform;
        this.host = host;
    }
    async fetchToken(scope) {
        const url = new URL(`${this.host}/metadata/identity/oauth2/token`);
        url.searchParams.set('api-version', '2018-02-01');
        url.searchParams.set('resource', scopeToResource(scope));
        let res;
        try {
            res = await this.http.request({
                method: 'GET',
                url: url.toString(),
                headers: { metadata: 'true', accept: 'application/json' },
                timeoutMs: 10_000,
            });
        }
        catch (error) {
            throw new errors/* UserError */.yo(`No managed identity on this agent: the instance metadata service at ${this.host} did not answer (${error.message}); run the agent on an Azure VM with an identity, or use another scheme`);
        }
        const body = (() => {
            try {
                return res.json();
            }
            catch {
                return {};
            }
        })();
        if (res.status !== 200 || !body.access_token) {
            throw new errors/* UserError */.yo(`The managed identity of this agent got no token (${res.status}${body.error_description ? `: ${body.error_description}` : ''}); check that the VM has an identity`);
        }
        this.platform.setSecret(body.access_token);
        return { token: body.access_token, expiresOnMs: Number(body.expires_on) * 1000 || Date.now() + 3600_000 };
    }
}
/** The OAuth 2.0 client-credentials grant at Entra's v2.0 token endpoint (secret or signed assertion). */
class EntraCredential extends CachingCredential {
    options;
    constructor(options) {
        super();
        this.options = options;
    }
    async fetchToken(scope) {
        const authority = (this.options.authorityHost ?? DEFAULT_AUTHORITY_HOST).replace(/\/+$/, '');
        const url = `${authority}/${encodeURIComponent(this.options.tenantId)}/oauth2/v2.0/token`;
        const form = new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: this.options.clientId,
            scope,
            ...(await this.clientAuthentication(url)),
        });
        const res = await this.options.http.request({
            method: 'POST',
            url,
            headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
            body: form.toString(),
        });
        if (res.status !== 200) {
            throw new errors/* UserError */.yo(`Entra ID refused a token for client ${this.options.clientId} in tenant ${this.options.tenantId} (${res.status}: ${entraMessage(res.body)})`);
        }
        const body = res.json();
        if (!body.access_token)
            throw new errors/* UserError */.yo(`Entra ID answered without an access_token at ${url}`);
        this.options.platform.setSecret(body.access_token);
        return { token: body.access_token, expiresOnMs: Date.now() + Number(body.expires_in ?? 3600) * 1000 };
    }
}
/** Entra's error bodies put the useful text in error_description; keep its first line (it carries trace ids after). */
function entraMessage(body) {
    try {
        const parsed = JSON.parse(body.toString('utf8'));
        const first = parsed.error_description?.split(/\r?\n/)[0];
        return [parsed.error, first].filter(Boolean).join(': ') || 'no details';
    }
    catch {
        return body.toString('utf8').split(/\r?\n/)[0].slice(0, 200) || 'no details';
    }
}
/** A service principal with a client secret (the ADO AzureRM "ServicePrincipal" scheme with a key). */
class ClientSecretCredential extends EntraCredential {
    secret;
    description;
    constructor(options, secret) {
        super(options);
        this.secret = secret;
        options.platform.setSecret(secret);
        this.description = `service principal ${options.clientId} (client secret)`;
    }
    async clientAuthentication() {
        return { client_secret: this.secret };
    }
}
/**
 * A service principal with a certificate (the ADO AzureRM "ServicePrincipal" scheme with `spnCertificate`): a JWT
 * signed with the certificate's key, carrying its SHA-1 thumbprint (x5t) so Entra finds the registered certificate.
 */
class ClientCertificateCredential extends EntraCredential {
    description;
    key;
    thumbprint;
    /** `pem` holds the certificate and its unencrypted private key, as ADO stores it. */
    constructor(options, pem) {
        super(options);
        // Runners mask line by line (task-lib refuses a multi-line secret), so each line of the PEM is registered; the
        // BEGIN/END markers are not secret.
        for (const line of pem.split(/\r?\n/))
            if (line.trim() && !line.startsWith('-----'))
                options.platform.setSecret(line.trim());
        try {
            this.key = (0,external_node_crypto_.createPrivateKey)(pem);
            this.thumbprint = Buffer.from(new external_node_crypto_.X509Certificate(pem).fingerprint.replace(/:/g, ''), 'hex').toString('base64url');
        }
        catch {
            throw new errors/* UserError */.yo(`The certificate of service principal ${options.clientId} is not a PEM certificate with its private key`);
        }
        this.description = `service principal ${options.clientId} (certificate)`;
    }
    async clientAuthentication(tokenUrl) {
        const now = Math.floor(Date.now() / 1000);
        const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
        const claims = {
            aud: tokenUrl,
            iss: this.options.clientId,
            sub: this.options.clientId,
            jti: (0,external_node_crypto_.randomUUID)(),
            nbf: now,
            iat: now,
            exp: now + 600,
        };
        const input = `${encode({ alg: 'RS256', typ: 'JWT', x5t: this.thumbprint })}.${encode(claims)}`;
        const signature = (0,external_node_crypto_.createSign)('RSA-SHA256').update(input).sign(this.key).toString('base64url');
        return { client_assertion_type: JWT_BEARER, client_assertion: `${input}.${signature}` };
    }
}
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/**
 * Workload identity federation: the runner's OIDC ID token is presented as the client assertion, so no secret exists
 * anywhere. The assertion is fetched anew for each Entra exchange because runner ID tokens live only minutes.
 */
class ClientAssertionCredential extends EntraCredential {
    assertion;
    description;
    constructor(options, assertion, source) {
        super(options);
        this.assertion = assertion;
        this.description = `${source} → service principal ${options.clientId} (workload identity federation)`;
    }
    async clientAuthentication() {
        return {
            client_assertion_type: JWT_BEARER,
            client_assertion: await this.assertion(),
        };
    }
}
/**
 * GitHub's ID token: the runner exposes ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN when the job has `permissions: id-token: write`.
 * act (which sets ACT=true) never provides them, whatever the permissions say (act pkg/runner sets no such variable),
 * so under act the advice is another sign-in rather than a permission that would change nothing.
 */
function githubIdToken(http, platform, audience = FEDERATION_AUDIENCE, env = process.env) {
    return async () => {
        const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
        const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
        if (!requestUrl || !requestToken) {
            if (env.ACT === 'true')
                throw new errors/* UserError */.yo("GitHub OIDC sign-in is not available under act (act provides no ACTIONS_ID_TOKEN_REQUEST_URL, whatever the job's permissions): leave 'client-id' empty to use your Azure CLI login (az login)");
            throw new errors/* UserError */.yo("GitHub did not provide an OIDC token: add 'permissions: id-token: write' to the job (ACTIONS_ID_TOKEN_REQUEST_URL is not set)");
        }
        platform.setSecret(requestToken);
        const url = new URL(requestUrl);
        url.searchParams.set('audience', audience);
        const body = await fetchJson(http, 'GET', url.toString(), requestToken, 'the GitHub OIDC token endpoint');
        if (!body.value)
            throw new errors/* UserError */.yo('The GitHub OIDC token endpoint answered without a token');
        platform.setSecret(body.value);
        return body.value;
    };
}
/** Azure Pipelines' ID token for a workload-identity-federation service connection. */
function azurePipelinesIdToken(http, platform, request) {
    return async () => {
        platform.setSecret(request.accessToken);
        const body = await fetchJson(http, 'POST', request.url, request.accessToken, 'the Azure Pipelines OIDC endpoint');
        if (!body.oidcToken)
            throw new errors/* UserError */.yo('The Azure Pipelines OIDC endpoint answered without an oidcToken');
        platform.setSecret(body.oidcToken);
        return body.oidcToken;
    };
}
async function fetchJson(http, method, url, bearer, what) {
    const res = await http.request({
        method,
        url,
        headers: { authorization: `Bearer ${bearer}`, accept: 'application/json', 'content-type': 'application/json' },
    });
    const remote = (0,client/* remoteMessage */.aT)(res);
    if (res.status !== 200)
        throw new errors/* UserError */.yo(`${what} refused the ID token request (${res.status}${remote ? `: ${remote}` : ''})`);
    try {
        return res.json();
    }
    catch {
        throw new errors/* UserError */.yo(`${what} answered with a body that is not JSON`);
    }
}
/**
 * The inverse of resourceToScope: the resource id the CLI's `--resource` and IMDS's `resource` take. A URL keeps one
 * trailing slash (the identifier URI form); an application id (the AKS server app) is the bare GUID, as kubelogin
 * passes it to `az account get-access-token --resource`.
 */
function scopeToResource(scope) {
    const resource = scope.replace(/\.default$/, '');
    return resource.includes('://') ? resource.replace(/\/+$/, '/') : resource.replace(/\/+$/, '');
}
/**
 * The token scope for an Entra resource id, as the Azure CLI and MSAL form it: append `/.default` and keep a trailing
 * slash (`https://management.core.windows.net/` → `https://management.core.windows.net//.default`), because the
 * resource's identifier URI is the slashed one; stripping it asks Entra for a resource that does not exist.
 */
function resourceToScope(resource) {
    return `${resource}/.default`;
}

;// CONCATENATED MODULE: ./shared/azure/arm-client.ts






const DEFAULT_ARM_ENDPOINT = 'https://management.azure.com';
/** An ARM answer the caller did not expect, with Azure's error code kept for callers that branch on it. */
class ArmError extends errors/* UserError */.yo {
    status;
    code;
    azureMessage;
    constructor(status, code, azureMessage, message) {
        super(message);
        this.status = status;
        this.code = code;
        this.azureMessage = azureMessage;
        this.name = 'ArmError';
    }
    /** ARM's authorization refusal: 403, or its codes for a missing role assignment (also on a linked resource). */
    get denied() {
        return this.status === 403 || this.code === 'AuthorizationFailed' || this.code === 'LinkedAuthorizationFailed';
    }
    /** The subscription or resource group in the resource's path does not exist. */
    get scopeMissing() {
        return this.code === 'ResourceGroupNotFound' || this.code === 'SubscriptionNotFound';
    }
}
/** A long-running operation outlived the timeout; it may still complete in Azure. */
class ArmTimeoutError extends errors/* UserError */.yo {
    constructor(message) {
        super(message);
        this.name = 'ArmTimeoutError';
    }
}
const TERMINAL_FAILURE = new Set(['failed', 'canceled', 'cancelled']);
/** Poll interval when Azure sends no Retry-After (as @azure/core-lro); ACR operations take seconds. */
const DEFAULT_POLL_MS = 2000;
/**
 * A thin Azure Resource Manager client on the shared HTTP layer: bearer token from a TokenCredential, api-version on
 * every call, ARM error bodies turned into one line, and long-running operations followed through
 * Azure-AsyncOperation or Location to completion within a timeout.
 */
class ArmClient {
    credential;
    http;
    options;
    endpoint;
    scope;
    clock;
    constructor(endpoint, credential, http, options = {}) {
        this.credential = credential;
        this.http = http;
        this.options = options;
        this.endpoint = endpoint.replace(/\/+$/, '');
        this.scope = resourceToScope(options.tokenResource ?? this.endpoint);
        this.clock = (0,util_clock/* clockWith */.RK)({ sleep: options.sleep });
    }
    /** Fetches the first token, so a sign-in problem is reported before anything else happens. */
    async authenticate() {
        await this.credential.getToken(this.scope);
    }
    /** A Microsoft Entra access token for ARM (ACR's data plane accepts it at /oauth2/exchange). */
    async accessToken() {
        return (await this.credential.getToken(this.scope)).token;
    }
    /** One ARM request; any status outside `expected` (default 200) becomes an ArmError naming what failed. */
    async call(method, path, options) {
        const res = await this.send(method, this.urlFor(path, options.apiVersion), options.json);
        if (!(options.expected ?? [200]).includes(res.status))
            throw armError(res, options.what);
        return res;
    }
    /** GET that answers undefined for 404 instead of failing. */
    async getOptional(path, options) {
        const res = await this.call('GET', path, { ...options, expected: [200, 404] });
        if (res.status === 404)
            return undefined;
        return res.json();
    }
    /**
     * A long-running PUT/PATCH/POST/DELETE. `finalState` follows the spec's `final-state-via`: for `azure-async-operation`
     * the result is the resource itself (GET after the operation succeeds), for `location` it is what the Location URL
     * finally answers. Returns the final body, or undefined when there is none.
     */
    async longRunning(method, path, options) {
        const url = this.urlFor(path, options.apiVersion);
        const first = await this.send(method, url, options.json);
        if (![200, 201, 202, 204].includes(first.status))
            throw armError(first, options.what);
        const asyncUrl = first.headers['azure-asyncoperation'];
        const locationUrl = first.headers.location;
        if (!asyncUrl && !locationUrl) {
            if (first.status === 202)
                throw new errors/* UserError */.yo(`Azure accepted ${options.what} but sent no operation URL to follow`);
            return bodyOf(first);
        }
        // Never past the step's whole budget (the HTTP client's), so the operation's own timeout is the error reported.
        const deadline = Date.now() + Math.min(this.options.operationTimeoutMs ?? 10 * 60_000, this.http.remainingMs());
        const wait = retryAfter(first);
        if (asyncUrl) {
            await this.pollStatus(asyncUrl, options.what, deadline, wait);
            if (options.finalState === 'location' && locationUrl)
                return this.pollLocation(locationUrl, options.what, deadline, 0);
            if (method === 'DELETE' || method === 'POST')
                return undefined;
            return bodyOf(await this.call('GET', path, { apiVersion: options.apiVersion, what: options.what }));
        }
        return this.pollLocation(locationUrl, options.what, deadline, wait);
    }
    async pollStatus(statusUrl, what, deadline, firstWait) {
        await this.poll(deadline, firstWait, what, async (turn) => {
            const res = await this.send('GET', this.sameOrigin(statusUrl, what));
            if (res.status !== 200)
                throw armError(res, `${what} (operation status)`);
            const body = res.json();
            const status = (body.status ?? '').toLowerCase();
            if (status === 'succeeded')
                return true;
            if (TERMINAL_FAILURE.has(status)) {
                const detail = [body.error?.code, body.error?.message].filter(Boolean).join(': ');
                throw new ArmError(res.status, body.error?.code, body.error?.message ?? '', `Azure operation ${what} ${status === 'failed' ? 'failed' : 'was canceled'}${detail ? `: ${detail}` : ''}`);
            }
            turn.waitNext(retryAfter(res));
            return undefined;
        });
    }
    async pollLocation(locationUrl, what, deadline, firstWait) {
        let pollUrl = locationUrl;
        const { body } = await this.poll(deadline, firstWait, what, async (turn) => {
            const res = await this.send('GET', this.sameOrigin(pollUrl, what));
            if (res.status === 202) {
                turn.waitNext(retryAfter(res));
                // Azure may move the operation along; the latest Location is the one to follow (as the Azure SDKs do).
                pollUrl = res.headers.location ?? pollUrl;
                return undefined;
            }
            if (res.status === 200 || res.status === 201 || res.status === 204)
                return { body: bodyOf(res) };
            throw armError(res, what);
        });
        return body;
    }
    /** Polls an operation at the pace Azure asks for (Retry-After; 0 means at once) until `deadline`. */
    poll(deadline, firstWait, what, attempt) {
        const timedOut = () => {
            const minutes = Math.round((this.options.operationTimeoutMs ?? 600_000) / 60_000);
            throw new ArmTimeoutError(`Azure operation ${what} did not finish within ${minutes >= 1 ? `${minutes} min` : `${this.options.operationTimeoutMs} ms`}; it may still complete in Azure — re-run the step, or raise the timeout`);
        };
        return pollWithBackoff({
            timeoutMs: deadline - Date.now(),
            initialDelayMs: DEFAULT_POLL_MS,
            startDelayMs: firstWait ?? DEFAULT_POLL_MS,
            clock: this.clock,
            atDeadline: 'last-poll',
            // When the step's budget is what bounds the operation, its last poll lands on that budget's end: the answer
            // is still that the operation did not finish, not which status request was cut off.
            cutOff: (error) => error instanceof client/* BudgetExceededError */.Zq,
        }, attempt, timedOut);
    }
    /** Operation URLs come from response headers; the bearer token only ever goes back to the ARM endpoint. */
    sameOrigin(url, what) {
        if (new URL(url).origin !== new URL(this.endpoint).origin) {
            throw new errors/* UserError */.yo(`Azure sent an operation URL for ${what} outside ${this.endpoint} (${(0,redact/* redactUrl */.BO)(url)}); refusing to send the token there`);
        }
        return url;
    }
    urlFor(path, apiVersion) {
        const url = new URL(this.endpoint + path);
        url.searchParams.set('api-version', apiVersion);
        return url.toString();
    }
    async send(method, url, json) {
        // PUT, PATCH and DELETE are idempotent in ARM and go through the HTTP layer's retry policy. A POST
        // (generateCredentials, importImage) is not: a lost answer must not mint a second password behind the user's back.
        // A 429, though, means ARM's throttling refused the request before the provider saw it
        // (learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling), so a POST is retried
        // on 429 only, after the Retry-After ARM sends.
        const attempts = method === 'POST' ? POST_THROTTLE_ATTEMPTS : 1;
        for (let attempt = 1;; attempt++) {
            const { token } = await this.credential.getToken(this.scope);
            const res = await this.http.request({
                method,
                url,
                json,
                headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
                retry: method !== 'POST',
            });
            if (res.status !== 429 || attempt >= attempts)
                return res;
            await this.clock.sleep(retryAfter(res) ?? Math.min(THROTTLE_FALLBACK_MS * 2 ** (attempt - 1), 60_000));
        }
    }
}
/** Tries of a POST that ARM throttles (429) before the step reports the throttling. */
const POST_THROTTLE_ATTEMPTS = 6;
/** Wait after a 429 without Retry-After (ARM always sends one; this is only the fallback). */
const THROTTLE_FALLBACK_MS = 5_000;
function bodyOf(res) {
    return res.body.length > 0 ? res.json() : undefined;
}
/** Retry-After in ms (seconds in ARM), or undefined. */
function retryAfter(res) {
    const value = res.headers['retry-after'];
    if (value === undefined)
        return undefined;
    const seconds = Number(value);
    return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 60) * 1000 : undefined;
}
/** ARM's `{"error":{"code","message"}}` as an ArmError; callers map codes to advice. */
function armError(res, what) {
    let code;
    let message;
    try {
        const body = res.json();
        code = body.error?.code;
        message = body.error?.message ?? '';
    }
    catch {
        message = (0,client/* remoteMessage */.aT)(res);
    }
    const detail = [code, message].filter(Boolean).join(': ') || (0,client/* remoteMessage */.aT)(res);
    return new ArmError(res.status, code, message, `Azure ${what} failed with ${res.status}${detail ? `: ${detail}` : ''}`);
}

;// CONCATENATED MODULE: ./shared/azure/arm-refusals.ts


/**
 * Runs one ARM call and turns the answers a user can fix into one line of advice, decided by status and error code;
 * everything else keeps Azure's message.
 */
async function guardArm(fn, refusals) {
    try {
        return await fn();
    }
    catch (error) {
        if (!(error instanceof ArmError))
            throw error;
        if (error.denied)
            throw new errors/* UserError */.yo(refusals.denied(error), { cause: error });
        if (error.status === 429 && refusals.throttled)
            throw new errors/* UserError */.yo(refusals.throttled(error), { cause: error });
        if (error.status === 401) {
            const detail = error.azureMessage ? `: ${error.azureMessage}` : error.code ? ` ${error.code}` : '';
            throw new errors/* UserError */.yo(`Azure rejected the access token (401${detail}); check the identity's tenant and that the sign-in is still valid`, { cause: error });
        }
        const missing = refusals.notFound(error);
        if (missing)
            throw Object.assign(missing, { cause: error });
        throw error;
    }
}

// EXTERNAL MODULE: ./shared/azure/roles.ts
var roles = __webpack_require__(1443);
;// CONCATENATED MODULE: ./shared/azure/aks.ts



/** The AKS API the step is written and tested against (reference file azure/aks/managedClusters.json, pinned in test/reference/manifest.json). */
const AKS_API_VERSION = '2026-10-01';
/**
 * The Entra application every AKS-managed Entra ID cluster accepts tokens for (the "Azure Kubernetes Service AAD
 * Server" app). The cluster's own kubeconfig names it (kubelogin's `--server-id`); this is the fallback.
 */
const AKS_AAD_SERVER_APP = '6dae42f8-4368-4678-94ff-3960e28e3630';
const KUBERNETES_ROLES = "'Azure Kubernetes Service RBAC Writer' on the namespace, 'Azure Kubernetes Service RBAC Admin' or 'Azure Kubernetes Service RBAC Cluster Admin' (Azure RBAC clusters), or a Kubernetes RoleBinding/ClusterRoleBinding to admin or cluster-admin for the identity or one of its groups";
/** ARM's rule for managed cluster names (the spec's resourceName path parameter). */
const CLUSTER_NAME = /^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$/;
function checkClusterName(value, label) {
    if (!CLUSTER_NAME.test(value)) {
        throw new errors/* InputError */.dz(`Input '${label}' must be an AKS cluster name: 1-63 letters, digits, - and _, starting and ending with a letter or digit (got '${value}')`);
    }
    return value;
}
function clusterPath(ref) {
    return `/subscriptions/${encodeURIComponent(ref.subscriptionId)}/resourceGroups/${encodeURIComponent(ref.resourceGroup)}/providers/Microsoft.ContainerService/managedClusters/${encodeURIComponent(ref.cluster)}`;
}
/** An Entra-enabled cluster takes Entra tokens for its server app (AKS-managed Entra ID, or the legacy integration). */
function isEntraCluster(cluster) {
    return cluster.properties?.aadProfile !== undefined;
}
/**
 * One managed cluster through ARM: read it, list its user or admin credentials. ARM refusals become one line of advice
 * decided by status and error code: not found, which role is missing, a sign-in ARM did not accept.
 */
class AksCluster {
    arm;
    ref;
    apiVersion;
    path;
    constructor(arm, ref, apiVersion = AKS_API_VERSION) {
        this.arm = arm;
        this.ref = ref;
        this.apiVersion = apiVersion;
        this.path = clusterPath(ref);
    }
    async get() {
        const cluster = await this.guard('read the cluster', roles/* CLUSTER_USER_ROLE */.Sp, () => this.arm.getOptional(this.path, {
            apiVersion: this.apiVersion,
            what: `read AKS cluster ${this.ref.cluster}`,
        }));
        if (!cluster)
            throw this.notFound();
        return cluster;
    }
    /**
     * The user kubeconfig. For Entra clusters ARM hands out a kubelogin exec (or azure auth-provider) kubeconfig; `exec`
     * is asked for explicitly so the shape does not depend on the cluster's Kubernetes version.
     */
    userKubeconfig(entra) {
        const query = entra ? '?format=exec' : '';
        return this.kubeconfig(`listClusterUserCredential${query}`, 'list the cluster user credentials', roles/* CLUSTER_USER_ROLE */.Sp);
    }
    adminKubeconfig() {
        return this.kubeconfig('listClusterAdminCredential', 'list the cluster admin credentials', roles/* CLUSTER_ADMIN_ROLE */.aZ);
    }
    async kubeconfig(action, what, role) {
        const res = await this.guard(what, role, () => this.arm.call('POST', `${this.path}/${action}`, {
            apiVersion: this.apiVersion,
            what: `${what} of AKS cluster ${this.ref.cluster}`,
        }));
        const body = res.json();
        // ARM lists one kubeconfig per credential; AKS returns one (clusterUser_/clusterAdmin_), any further are alternates.
        const value = body.kubeconfigs?.find((k) => k.value)?.value;
        if (!value)
            throw new errors/* UserError */.yo(`Azure answered ${what} of AKS cluster ${this.ref.cluster} without a kubeconfig`);
        return Buffer.from(value, 'base64').toString('utf8');
    }
    notFound(detail = '') {
        return new errors/* UserError */.yo(`AKS cluster ${this.ref.cluster} not found in resource group ${this.ref.resourceGroup} of subscription ${this.ref.subscriptionId}${detail}; check the cluster-name, resource-group and subscription inputs`);
    }
    guard(action, role, fn) {
        return guardArm(fn, {
            denied: (error) => `Azure denied the step permission to ${action} of AKS cluster ${this.ref.cluster} (${error.code ?? error.status}): assign the identity the '${role}' role on the cluster (or its resource group)`,
            notFound: (error) => error.scopeMissing || error.code === 'ResourceNotFound' || error.status === 404
                ? this.notFound(` (${error.code ?? error.status})`)
                : undefined,
        });
    }
}

;// CONCATENATED MODULE: ./shared/azure/names.ts

/** ARM's name rules (swagger path parameters), checked before anything is sent. */
const NAME_RULES = {
    registry: { pattern: /^[a-zA-Z0-9]*$/, min: 5, max: 50, what: 'letters and digits' },
    scopeMap: { pattern: /^[a-zA-Z0-9-_]*$/, min: 5, max: 50, what: 'letters, digits, - and _' },
    token: { pattern: /^[a-zA-Z0-9-]*$/, min: 5, max: 50, what: 'letters, digits and -' },
    resourceGroup: { pattern: /^[-\w._()]+$/, min: 1, max: 90, what: 'letters, digits, -, _, ., ( and )' },
};
function checkName(kind, value, label) {
    const rule = NAME_RULES[kind];
    if (!rule.pattern.test(value) || value.length < rule.min || value.length > rule.max) {
        throw new errors/* InputError */.dz(`Input '${label}' must be ${rule.min}-${rule.max} characters of ${rule.what} (got '${value}')`);
    }
    return value;
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function checkSubscription(value, label) {
    if (!UUID.test(value))
        throw new errors/* InputError */.dz(`Input '${label}' must be a subscription id (a GUID), not a name (got '${value}')`);
    return value;
}
/** The registry input: its name, never the login server (a common mix-up), within ARM's rules. */
function checkRegistryName(value, label) {
    if (value.includes('.')) {
        throw new InputError(`Input '${label}' takes the registry name (${value.split('.')[0]}), not the login server (got '${value}')`);
    }
    return checkName('registry', value, label);
}

;// CONCATENATED MODULE: ./shared/azure/sign-in.ts





/**
 * An Azure DevOps AzureRM service connection → credential: `ServicePrincipal` with a secret or a certificate,
 * `WorkloadIdentityFederation` (the agent's OIDC token as client assertion) and `ManagedServiceIdentity` (the agent
 * VM's identity).
 */
function signInWithConnection(connection, inputName, http, platform) {
    const clientId = connection.auth.serviceprincipalid;
    const tenantId = connection.auth.tenantid;
    const scheme = connection.scheme ?? '';
    const options = {
        clientId: clientId ?? '',
        tenantId: tenantId ?? '',
        authorityHost: connection.data('environmentAuthorityUrl') ?? DEFAULT_AUTHORITY_HOST,
        http,
        platform,
    };
    let credential;
    switch (scheme.toLowerCase()) {
        case 'serviceprincipal': {
            if (connection.auth.authenticationType === 'spnCertificate') {
                const pem = connection.auth.servicePrincipalCertificate;
                if (!clientId || !tenantId || !pem)
                    throw new errors/* UserError */.yo(`Service connection '${inputName}' lacks the service principal id, tenant or certificate`);
                credential = new ClientCertificateCredential(options, pem);
                break;
            }
            const secret = connection.auth.serviceprincipalkey;
            if (!clientId || !tenantId || !secret)
                throw new errors/* UserError */.yo(`Service connection '${inputName}' lacks the service principal id, tenant or key`);
            credential = new ClientSecretCredential(options, secret);
            break;
        }
        case 'workloadidentityfederation': {
            if (!clientId || !tenantId)
                throw new errors/* UserError */.yo(`Service connection '${inputName}' lacks the service principal id or tenant`);
            if (!connection.oidcRequest) {
                throw new errors/* UserError */.yo(`Service connection '${inputName}' uses workload identity federation, but the agent offers no OIDC endpoint (System.OidcRequestUri); update the agent, or use another scheme`);
            }
            credential = new ClientAssertionCredential(options, azurePipelinesIdToken(http, platform, connection.oidcRequest), 'Azure Pipelines OIDC');
            break;
        }
        case 'managedserviceidentity':
            // The metadata service lives on a link-local address: never through the runner's proxy.
            credential = new ManagedIdentityCredential(new client/* HttpClient */.Qq({ timeoutMs: 10_000, retry: { attempts: 2 }, userAgent: 'harbor-pipelines' }), platform);
            break;
        default:
            throw new errors/* UserError */.yo(`Service connection '${inputName}' uses the ${scheme || 'unknown'} scheme; this step supports ServicePrincipal, WorkloadIdentityFederation and ManagedServiceIdentity`);
    }
    const subscription = connection.data('subscriptionId');
    return {
        credential,
        armEndpoint: connection.url || DEFAULT_ARM_ENDPOINT,
        tokenResource: connection.data('activeDirectoryServiceEndpointResourceId'),
        subscriptionId: () => subscription,
    };
}
/**
 * GitHub: OIDC with client-id + tenant-id (the runner's ID token exchanged at Entra), otherwise the Azure CLI login
 * that azure/login leaves behind.
 */
function signInOnGitHub(settings, http, platform) {
    const armEndpoint = settings.armEndpoint ?? DEFAULT_ARM_ENDPOINT;
    if (settings.clientId || settings.tenantId) {
        if (!settings.clientId)
            throw new errors/* InputError */.dz(`Input '${settings.names.clientId}' is required with '${settings.names.tenantId}' (OIDC sign-in)`);
        if (!settings.tenantId)
            throw new errors/* InputError */.dz(`Input '${settings.names.tenantId}' is required with '${settings.names.clientId}' (OIDC sign-in)`);
        const credential = new ClientAssertionCredential({
            clientId: settings.clientId,
            tenantId: settings.tenantId,
            authorityHost: settings.authorityHost,
            http,
            platform,
        }, githubIdToken(http, platform, settings.audience ?? FEDERATION_AUDIENCE), 'GitHub OIDC');
        return { credential, armEndpoint, subscriptionId: () => undefined };
    }
    const cli = new AzureCliCredential(platform, settings.names);
    return { credential: cli, armEndpoint, subscriptionId: () => cli.subscriptionId };
}
/**
 * Signs a step in to Azure the way its platform offers: the `azureSubscription` service connection on Azure DevOps,
 * GitHub OIDC or the Azure CLI login on GitHub. No token is fetched yet: the caller asks for the scope it needs (ARM,
 * or a data plane such as Key Vault's https://vault.azure.net/.default).
 */
function signInToAzure(settings, names, http, platform) {
    const connection = platform.getServiceConnection('azureSubscription');
    // On Azure DevOps the service connection is the only identity: the agent machine's own `az` login (or any other
    // ambient credential) belongs to whoever set the agent up, not to this pipeline.
    if (!connection && platform.kind === 'azure-devops') {
        throw new errors/* InputError */.dz("Input required and not supplied: azureSubscription (an Azure Resource Manager service connection; this task never signs in with the agent machine's own Azure CLI login)");
    }
    return connection
        ? signInWithConnection(connection, 'azureSubscription', http, platform)
        : signInOnGitHub({
            clientId: settings.clientId,
            tenantId: settings.tenantId,
            authorityHost: settings.authorityHost,
            audience: settings.oidcAudience,
            armEndpoint: settings.resourceManagerUrl,
            names,
        }, http, platform);
}
/**
 * Signs a step in to ARM (signInToAzure). Fetches the first token (so a sign-in problem is the first error) and
 * settles the subscription: the input, else the one the sign-in brings.
 */
async function connectArm(settings, names, http, platform, operationTimeoutMs, 
/** Injected by tests so Retry-After and operation polls do not really wait. */
sleep) {
    const signIn = signInToAzure(settings, { clientId: names.clientId, tenantId: names.tenantId }, http, platform);
    const arm = new ArmClient(signIn.armEndpoint, signIn.credential, http, {
        tokenResource: signIn.tokenResource,
        operationTimeoutMs,
        ...(sleep ? { sleep } : {}),
    });
    await arm.authenticate();
    platform.info(`Signed in to Azure with ${signIn.credential.description}`);
    const subscription = settings.subscriptionId ?? signIn.subscriptionId();
    if (!subscription)
        throw new errors/* InputError */.dz(`Input required and not supplied: ${names.subscriptionId} (the sign-in names no subscription)`);
    return { arm, subscriptionId: checkSubscription(subscription, names.subscriptionId) };
}

;// CONCATENATED MODULE: ./shared/kube/api-access.ts


/** Kubernetes API paths this pack calls itself (helm and kubectl do the rest). */
const SELF_SUBJECT_REVIEW = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
const SELF_SUBJECT_ACCESS_REVIEW = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
/**
 * Asks the API server, with the token helm will use, who it is (SelfSubjectReview) and whether it may write helm's
 * release record in the namespace (SelfSubjectAccessReview), so a refused token or a missing Kubernetes role is one
 * clear line before helm starts, decided by status code and the review's `allowed` field.
 * Follows k8s.io/api authentication/v1 SelfSubjectReview (GA in 1.28) and authorization/v1 SelfSubjectAccessReview.
 */
async function checkTokenAccess(platform, http, check) {
    const server = check.server.replace(/\/+$/, '');
    const headers = { authorization: `Bearer ${check.token}`, accept: 'application/json' };
    const review = await http.request({
        method: 'POST',
        url: `${server}${SELF_SUBJECT_REVIEW}`,
        headers,
        json: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    if (review.status === 401) {
        throw new errors/* UserError */.yo(`The Kubernetes API server of AKS cluster ${check.cluster} refused the Entra token (401) issued for audience ${check.audience}: the cluster does not accept this token audience or tenant; check the cluster's Entra ID integration (aadProfile) and that the identity's tenant is the cluster's`);
    }
    let user;
    if (review.status === 201 || review.status === 200) {
        const body = review.json();
        user = body.status?.userInfo?.username;
        if (user)
            platform.info(`Kubernetes knows the identity as ${user}${body.status?.userInfo?.groups?.length ? ` (groups: ${body.status.userInfo.groups.join(', ')})` : ''}`);
    }
    else if (review.status !== 404 && review.status !== 403) {
        // 404: a cluster before Kubernetes 1.28; 403: reviews are not allowed to this identity (checked by the access review).
        throw new errors/* UserError */.yo(`The Kubernetes API server of AKS cluster ${check.cluster} answered ${review.status} to a SelfSubjectReview${(0,client/* remoteMessage */.aT)(review) ? `: ${(0,client/* remoteMessage */.aT)(review)}` : ''}`);
    }
    const verb = check.dryRun ? 'list' : 'create';
    const access = await http.request({
        method: 'POST',
        url: `${server}${SELF_SUBJECT_ACCESS_REVIEW}`,
        headers,
        json: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: { resourceAttributes: { namespace: check.namespace, verb, resource: 'secrets' } },
        },
    });
    if (access.status === 401) {
        throw new errors/* UserError */.yo(`The Kubernetes API server of AKS cluster ${check.cluster} refused the Entra token (401) issued for audience ${check.audience}`);
    }
    const allowed = access.status === 201 || access.status === 200
        ? access.json().status?.allowed === true
        : false;
    if (!allowed) {
        throw new errors/* UserError */.yo(`${user ?? 'The identity'} may not ${verb} secrets in namespace ${check.namespace} of AKS cluster ${check.cluster} (where helm keeps the release${access.status === 403 ? '; 403' : ''}): grant it ${check.roles}`);
    }
    return user;
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./shared/kube/kubeconfig.ts





/**
 * Resolves how to reach the cluster: an Azure DevOps Kubernetes service connection, a GitHub `kubeconfig` input
 * (content or path), or the runner's own kubeconfig. Credentials inside are registered as secrets, and a kubeconfig
 * we materialise is written 0600 into the step's private directory, which is removed afterwards.
 */
function resolveClusterAccess(platform, options, dir) {
    const connection = platform.getServiceConnection(options.connectionInput);
    if (connection) {
        const text = kubeconfigFromConnection(connection, options.connectionInput);
        registerSecrets(platform, text);
        return { kubeconfig: dir.write('kubeconfig', text), source: `service connection ${options.connectionInput}` };
    }
    const value = options.kubeconfig?.trim();
    if (!value)
        return { source: process.env.KUBECONFIG ? 'KUBECONFIG of the runner' : '~/.kube/config of the runner' };
    if (/[\r\n]/.test(value) || /^(apiVersion|kind|clusters|\{)/.test(value)) {
        checkKubeconfig(value, options.kubeconfigLabel);
        registerSecrets(platform, value);
        return { kubeconfig: dir.write('kubeconfig', `${value}\n`), source: `input ${options.kubeconfigLabel} (content)` };
    }
    const path = value.startsWith('~/')
        ? (0,external_node_path_.join)((0,external_node_os_.homedir)(), value.slice(2))
        : (0,external_node_path_.isAbsolute)(value)
            ? value
            : (0,external_node_path_.resolve)(platform.workspaceDir(), value);
    if (!(0,external_node_fs_.existsSync)(path))
        throw new errors/* InputError */.dz(`Input '${options.kubeconfigLabel}': no kubeconfig file at ${value}`);
    if ((0,external_node_fs_.statSync)(path).isDirectory())
        throw new errors/* InputError */.dz(`Input '${options.kubeconfigLabel}': ${value} is a directory; give the kubeconfig file (or its content)`);
    const text = (0,external_node_fs_.readFileSync)(path, 'utf8');
    checkKubeconfig(text, options.kubeconfigLabel);
    registerSecrets(platform, text);
    return { kubeconfig: path, source: `input ${options.kubeconfigLabel} (${value})` };
}
/**
 * What Azure DevOps' own Kubernetes tasks do: the Kubeconfig scheme carries a kubeconfig (and optionally the context
 * to use); Service Account and Azure Subscription connections carry the API server URL, its CA and a base64 service
 * account token.
 */
function kubeconfigFromConnection(connection, label) {
    const type = connection.data('authorizationType') ?? 'Kubeconfig';
    if (type === 'Kubeconfig') {
        const text = connection.auth.kubeconfig;
        if (!text)
            throw new errors/* UserError */.yo(`Service connection '${label}' has no kubeconfig; edit the connection and paste one`);
        const context = connection.auth.clusterContext;
        if (!context)
            return text;
        const doc = checkKubeconfig(text, label);
        doc['current-context'] = context;
        // JSON is valid kubeconfig YAML and keeps every string a string.
        return JSON.stringify(doc, null, 2);
    }
    if (type === 'ServiceAccount' || type === 'AzureSubscription') {
        const token = connection.auth.apiToken;
        if (!token || !connection.url) {
            throw new errors/* UserError */.yo(type === 'AzureSubscription'
                ? `Service connection '${label}' (AzureSubscription) carries no service-account token (an Entra ID cluster); leave it empty and name the cluster with the Azure subscription connection (azureSubscription), resourceGroup and clusterName instead`
                : `Service connection '${label}' (${type}) carries no service-account token; use a Kubeconfig connection instead`);
        }
        const insecure = connection.data('acceptUntrustedCerts') === 'true';
        const cluster = { server: connection.url };
        if (insecure)
            cluster['insecure-skip-tls-verify'] = true;
        else if (connection.auth.serviceAccountCertificate)
            cluster['certificate-authority-data'] = connection.auth.serviceAccountCertificate;
        return JSON.stringify({
            apiVersion: 'v1',
            kind: 'Config',
            clusters: [{ name: 'cluster', cluster }],
            users: [{ name: 'service-account', user: { token: Buffer.from(token, 'base64').toString('utf8') } }],
            contexts: [{ name: 'service-account', context: { cluster: 'cluster', user: 'service-account' } }],
            'current-context': 'service-account',
        }, null, 2);
    }
    throw new errors/* UserError */.yo(`Service connection '${label}' uses authorization type '${type}', which is not supported; use a Kubeconfig or Service Account connection`);
}
function checkKubeconfig(text, label) {
    let doc;
    try {
        // kubectl and helm read kubeconfigs as YAML 1.1.
        doc = (0,dist/* parse */.qg)(text, { version: '1.1' });
    }
    catch {
        throw new errors/* InputError */.dz(`'${label}' is not a valid kubeconfig (YAML does not parse)`);
    }
    if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.clusters)) {
        throw new errors/* InputError */.dz(`'${label}' is not a kubeconfig (no clusters list)`);
    }
    return doc;
}
const SECRET_FIELDS = new Set([
    'token',
    'password',
    'client-key-data',
    'access-token',
    'refresh-token',
    'client-secret',
    'id-token',
]);
/** Masks every credential a kubeconfig holds, so an error echoing one never prints it. */
function registerSecrets(platform, text) {
    let doc;
    try {
        doc = (0,dist/* parse */.qg)(text, { version: '1.1' });
    }
    catch {
        return;
    }
    const visit = (node) => {
        if (Array.isArray(node))
            node.forEach(visit);
        else if (typeof node === 'object' && node !== null) {
            for (const [key, value] of Object.entries(node)) {
                if (SECRET_FIELDS.has(key) && typeof value === 'string' && value)
                    platform.setSecret(value);
                else
                    visit(value);
            }
        }
    };
    visit(doc);
}

;// CONCATENATED MODULE: ./shared/kube/aks-access.ts








/**
 * Reaches an AKS cluster through the step's Azure sign-in, as `az aks get-credentials` + kubelogin would, without
 * either: read the cluster through ARM, list its user (or, when asked and allowed, admin) credentials for the server
 * and CA, and for an Entra ID cluster put an Entra token for the cluster's server app, from the same credential,
 * straight into the kubeconfig. The kubeconfig is 0600 in the step's private directory (removed with it); the token is
 * masked before it is written anywhere.
 */
async function aksClusterAccess(platform, options, dir) {
    const { names } = options;
    if (!options.resourceGroup)
        throw new errors/* InputError */.dz(`Input required and not supplied: ${names.resourceGroup} (with ${names.cluster})`);
    const ref = {
        resourceGroup: checkName('resourceGroup', options.resourceGroup, names.resourceGroup),
        cluster: checkClusterName(options.cluster, names.cluster),
    };
    // ARM and the API server get the runner's trust settings (proxy, CA); never the deployed Harbor's ca-file/insecure.
    const armHttp = (0,capability/* httpClientFor */.rL)(platform);
    try {
        const { arm, subscriptionId } = await connectArm(options.azure, names, armHttp, platform, options.timeoutMs);
        const aks = new AksCluster(arm, { subscriptionId, ...ref });
        const cluster = await aks.get();
        describe(platform, ref.cluster, cluster);
        if (cluster.properties?.powerState?.code === 'Stopped') {
            throw new errors/* UserError */.yo(`AKS cluster ${ref.cluster} is stopped; start it (az aks start) before deploying`);
        }
        const entra = isEntraCluster(cluster);
        const localAccountsDisabled = cluster.properties?.disableLocalAccounts === true;
        if (options.admin) {
            if (localAccountsDisabled) {
                throw new errors/* InputError */.dz(`Input '${names.admin}' asks for the cluster admin credentials, but AKS cluster ${ref.cluster} has local accounts disabled (Entra ID only): set it to false and grant the identity ${KUBERNETES_ROLES}`);
            }
            const text = await aks.adminKubeconfig();
            checkKubeconfig(text, `admin credentials of ${ref.cluster}`);
            registerSecrets(platform, text);
            return { kubeconfig: dir.write('kubeconfig', text), source: `AKS cluster ${ref.cluster} (admin credentials)` };
        }
        const text = await aks.userKubeconfig(entra);
        const doc = checkKubeconfig(text, `user credentials of ${ref.cluster}`);
        if (!entra) {
            // Kubernetes-RBAC-only cluster: the user credential is a client certificate, usable as it is.
            registerSecrets(platform, text);
            return { kubeconfig: dir.write('kubeconfig', text), source: `AKS cluster ${ref.cluster} (user credentials)` };
        }
        const target = currentTarget(doc, ref.cluster);
        const audience = target.serverId ?? cluster.properties?.aadProfile?.serverAppID ?? AKS_AAD_SERVER_APP;
        const token = await arm.credential.getToken(resourceToScope(audience));
        // The credential masks what it fetches; masking here too keeps this true for any credential.
        platform.setSecret(token.token);
        const remainingMs = token.expiresOnMs - Date.now();
        if (remainingMs < options.timeoutMs + 60_000) {
            platform.warning(`The Entra token for ${ref.cluster} expires in ${Math.max(0, Math.floor(remainingMs / 60_000))} min, before the helm timeout; a long rollout may fail with 401`);
        }
        const kubeconfig = dir.write('kubeconfig', `${JSON.stringify(tokenKubeconfig(target, token.token), null, 2)}\n`);
        const apiHttp = (0,capability/* httpClientFor */.rL)(platform, target.caData ? { caFile: dir.write('cluster-ca.crt', Buffer.from(target.caData, 'base64')) } : {});
        try {
            await checkTokenAccess(platform, apiHttp, {
                server: target.server,
                token: token.token,
                namespace: options.namespace,
                dryRun: options.dryRun,
                cluster: ref.cluster,
                audience,
                roles: KUBERNETES_ROLES,
            });
        }
        finally {
            await apiHttp.close();
        }
        return {
            kubeconfig,
            source: `AKS cluster ${ref.cluster} (Entra ID token for ${audience}, ${arm.credential.description})`,
        };
    }
    finally {
        await armHttp.close();
    }
}
function describe(platform, name, cluster) {
    const p = cluster.properties ?? {};
    const auth = p.aadProfile
        ? `Entra ID${p.aadProfile.enableAzureRBAC ? ' with Azure RBAC' : ' with Kubernetes RBAC'}${p.disableLocalAccounts ? ', local accounts disabled' : ''}`
        : 'local accounts with Kubernetes RBAC';
    platform.info(`AKS cluster ${name}: ${auth}${p.apiServerAccessProfile?.enablePrivateCluster ? ', private API server' : ''}`);
}
/**
 * The current context's cluster and its Entra server app, as kubelogin reads them (Azure/kubelogin
 * pkg/internal/converter/convert.go: exec arg `--server-id`, or the legacy azure auth-provider's `apiserver-id`).
 */
function currentTarget(doc, cluster) {
    const contexts = Array.isArray(doc.contexts) ? doc.contexts : [];
    const context = contexts.find((c) => c?.name === doc['current-context']) ?? contexts[0];
    const clusters = doc.clusters ?? [];
    const entry = clusters.find((c) => c?.name === context?.context?.cluster) ?? clusters[0];
    const server = entry?.cluster?.server;
    if (typeof server !== 'string' || !/^https:\/\//.test(server))
        throw new errors/* UserError */.yo(`Azure answered the user credentials of AKS cluster ${cluster} without an https API server URL`);
    const users = Array.isArray(doc.users) ? doc.users : [];
    const user = (users.find((u) => u?.name === context?.context?.user) ?? users[0])?.user ?? {};
    const args = Array.isArray(user.exec?.args) ? user.exec.args : [];
    const at = args.indexOf('--server-id');
    const serverId = at >= 0 && typeof args[at + 1] === 'string'
        ? args[at + 1]
        : user['auth-provider']?.config?.['apiserver-id'];
    return {
        clusterName: typeof entry?.name === 'string' ? entry.name : cluster,
        server,
        caData: entry.cluster['certificate-authority-data'],
        serverId: typeof serverId === 'string' && serverId ? serverId : undefined,
    };
}
/** A kubeconfig that carries the token itself: no exec plugin, nothing to download or run. */
function tokenKubeconfig(target, token) {
    const cluster = { server: target.server };
    if (target.caData)
        cluster['certificate-authority-data'] = target.caData;
    const user = 'entra-token';
    return {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: target.clusterName, cluster }],
        users: [{ name: user, user: { token } }],
        contexts: [{ name: target.clusterName, context: { cluster: target.clusterName, user } }],
        'current-context': target.clusterName,
    };
}

;// CONCATENATED MODULE: ./shared/kube/storage-classes.ts


/**
 * The zone-redundant storage classes of the seed's availability-zones script: an Azure Disk class whose disks survive
 * a zone outage and re-attach in another zone (database, Redis, Trivy), and an Azure Files class that many pods in
 * different zones mount at once (registry, job logs).
 */
const ZRS_STORAGE_CLASSES = [
    {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: 'managed-csi-premium-zrs', labels: { 'app.kubernetes.io/managed-by': 'harbor-pipelines' } },
        provisioner: 'disk.csi.azure.com',
        parameters: { skuName: 'Premium_ZRS' },
        reclaimPolicy: 'Delete',
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
    },
    {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: 'azurefile-csi-premium-zrs', labels: { 'app.kubernetes.io/managed-by': 'harbor-pipelines' } },
        provisioner: 'file.csi.azure.com',
        parameters: { skuName: 'Premium_ZRS' },
        reclaimPolicy: 'Delete',
        volumeBindingMode: 'Immediate',
        allowVolumeExpansion: true,
        // AKS's built-in azurefile classes use these: SMB ignores fsGroup, so Harbor's non-root users need open modes.
        mountOptions: ['dir_mode=0777', 'file_mode=0777', 'mfsymlinks', 'cache=strict', 'actimeo=30', 'nosharesock'],
    },
];
function storageClassManifest() {
    return ZRS_STORAGE_CLASSES.map((doc) => (0,dist/* stringify */.As)(doc)).join('---\n');
}
/**
 * Applies the classes with kubectl (idempotent: unchanged classes stay unchanged). A class that exists with other
 * parameters cannot be updated — Kubernetes forbids it — and is reported as such.
 */
async function applyZrsStorageClasses(platform, kubectl, env, dir, dryRun) {
    const file = dir.write('zrs-storage-classes.yaml', storageClassManifest());
    const args = ['apply', '-f', file, ...(dryRun ? ['--dry-run=server'] : [])];
    const res = await platform.exec(kubectl, args, { env, silent: true, ignoreReturnCode: true });
    if (res.code !== 0) {
        const error = res.stderr
            .trim()
            .split(/\r?\n/)
            .find((l) => l.trim()) ?? `exit code ${res.code}`;
        const hint = /forbidden/i.test(error) && /parameters/i.test(error)
            ? ' — a storage class with this name exists with other parameters, which Kubernetes cannot change; delete it or set create-zrs-storage-classes to false'
            : '';
        throw new errors/* UserError */.yo(`kubectl apply of the ZRS storage classes failed: ${error}${hint}`);
    }
    for (const line of res.stderr.split(/\r?\n/).filter((l) => l.trim()))
        platform.warning(`kubectl: ${line.trim()}`);
    return res.stdout
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
}

;// CONCATENATED MODULE: ./shared/harbor/health.ts
/** Where Harbor reports its components' health; it answers without credentials. */
function harborHealthUrl(harborUrl) {
    return `${harborUrl.replace(/\/+$/, '')}/api/v2.0/health`;
}
/**
 * One read of Harbor's health. It goes through the bare HTTP layer, not a HarborClient: right after a rollout the
 * caller wants the raw status (an ingress's 404 or 503 is "not ready yet", not an error to word).
 */
async function readHarborHealth(http, harborUrl, timeoutMs) {
    const res = await http.request({ method: 'GET', url: harborHealthUrl(harborUrl), retry: false, timeoutMs });
    return res.status === 200 ? { status: 200, health: res.json() } : { status: res.status };
}

;// CONCATENATED MODULE: ./shared/capabilities/deploy/health.ts




/**
 * Polls Harbor's health endpoint at its external URL until every component is healthy. Right after a rollout the
 * ingress, DNS or certificate may not be ready, so failed connections are retried like unhealthy answers until the
 * deadline; the final error names the unhealthy components (or the last connection error).
 */
async function waitForHarborHealthy(platform, http, url, timeoutMs, options = {}) {
    const interval = options.intervalMs ?? Math.min(5000, Math.max(250, Math.floor(timeoutMs / 20)));
    const clock = (0,util_clock/* clockWith */.RK)(options);
    const deadline = clock.now() + timeoutMs;
    let last = '';
    return pollWithBackoff({ timeoutMs, initialDelayMs: interval, clock }, async (turn) => {
        try {
            const res = await readHarborHealth(http, url, Math.min(10_000, Math.max(1000, deadline - clock.now())));
            if (res.health) {
                const { health } = res;
                const components = health.components ?? [];
                const unhealthy = components.filter((c) => c.status !== 'healthy');
                if (health.status === 'healthy' && unhealthy.length === 0)
                    return { components, attempts: turn.attempt };
                last = `unhealthy components: ${unhealthy.map((c) => (c.error ? `${c.name} (${c.error})` : c.name)).join(', ') || health.status}`;
            }
            else {
                last = `${harborHealthUrl(url)} answered ${res.status}`;
            }
        }
        catch (error) {
            last = (0,errors/* oneLine */.TN)(error);
        }
        platform.debug(`Harbor health, attempt ${turn.attempt}: ${last}`);
        return undefined;
    }, () => {
        throw new errors/* UserError */.yo(`Harbor at ${url} is not healthy after ${Math.round(timeoutMs / 1000)}s: ${last}`);
    });
}

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
// EXTERNAL MODULE: ./shared/inputs/definition.ts
var inputs_definition = __webpack_require__(2381);
;// CONCATENATED MODULE: ./shared/capabilities/deploy/options.ts









function labelOf(platform, name) {
    return platform.inputName(definition/* definition */.m.inputs[name]);
}
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?$/i;
const QUANTITY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
/** Kubernetes object names (DNS-1123 subdomains): secret and class names. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const EXTERNAL_INPUTS = [
    'database-host',
    'database-port',
    'database-username',
    'database-password',
    'database-name',
    'database-sslmode',
    'redis-addr',
    'redis-password',
];
/**
 * Turns the settings into the typed options the profiles are built from, refusing anything that helm or the cluster
 * would only reject later (or, worse, accept and break): malformed names and sizes, missing profile inputs, a
 * cert-manager issuer without an ingress.
 */
function harborOptions(settings, platform) {
    const label = (name) => labelOf(platform, name);
    const check = (name, value, pattern, what) => {
        if (value !== undefined && !pattern.test(value))
            throw new errors/* InputError */.dz(`Input '${label(name)}' must be ${what} (got '${value}')`);
    };
    if (/^[a-z]+:\/\//i.test(settings.hostname)) {
        throw new errors/* InputError */.dz(`Input '${label('hostname')}' must be a host name like harbor.example.com, not a URL (got '${settings.hostname}')`);
    }
    check('hostname', settings.hostname, HOSTNAME, 'a DNS host name like harbor.example.com');
    if (settings.expose === 'ingress' && (0,external_node_net_.isIP)(settings.hostname.replace(/:\d+$/, ''))) {
        throw new errors/* InputError */.dz(`Input '${label('hostname')}' is an IP address, which an ingress cannot serve (Kubernetes accepts only DNS names as ingress hosts); use a DNS name, or ${label('expose')} 'loadBalancer' or 'clusterIP'`);
    }
    check('release', settings.release, /^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$/, 'a Helm release name (lower-case letters, digits, -; at most 53 characters)');
    check('namespace', settings.namespace, /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a Kubernetes namespace name');
    check('chart-version', settings.chartVersion, /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'an exact chart version like 1.19.2');
    check('ingress-class', settings.ingressClass, DNS_SUBDOMAIN, 'an IngressClass name');
    check('tls-secret', settings.tlsSecret, DNS_SUBDOMAIN, 'a Secret name');
    check('storage-class', settings.storageClass, DNS_SUBDOMAIN, 'a StorageClass name');
    if (settings.certManagerIssuer !== undefined && settings.expose !== 'ingress') {
        throw new errors/* InputError */.dz(`Input '${label('cert-manager-issuer')}' needs ${label('expose')} 'ingress': cert-manager issues certificates for ingresses; with '${settings.expose}', give a certificate in '${label('tls-secret')}'`);
    }
    const storage = {};
    for (const component of STORAGE_COMPONENTS) {
        const cls = settings[`${component}StorageClass`];
        const size = settings[`${component}Size`];
        check(`${component}-storage-class`, cls, DNS_SUBDOMAIN, 'a StorageClass name');
        check(`${component}-size`, size, QUANTITY, 'a Kubernetes quantity like 10Gi');
        const own = { storageClass: cls, size };
        if (component === 'registry')
            own.accessMode = settings.registryAccessMode;
        if (component === 'jobservice')
            own.accessMode = settings.jobserviceAccessMode;
        storage[component] = own;
    }
    const replicas = {};
    for (const component of REPLICA_COMPONENTS)
        replicas[component] = settings[`${component}Replicas`];
    const options = {
        profile: settings.profile,
        release: settings.release,
        hostname: settings.hostname.toLowerCase(),
        adminPassword: settings.adminPassword,
        expose: settings.expose,
        ingressClass: settings.ingressClass,
        tlsSecret: settings.tlsSecret,
        certManagerIssuer: settings.certManagerIssuer,
        storageClass: settings.storageClass,
        storage,
        replicas,
    };
    const given = EXTERNAL_INPUTS.filter((name) => settings[camel(name)] !== undefined);
    if (settings.profile === 'external-services') {
        const required = ['database-host', 'database-username', 'database-password', 'redis-addr'];
        const missing = required.filter((name) => settings[camel(name)] === undefined);
        if (missing.length > 0) {
            throw new errors/* InputError */.dz(`Profile 'external-services' needs input${missing.length > 1 ? 's' : ''} ${missing.map(label).join(', ')}`);
        }
        check('database-host', settings.databaseHost, /^[A-Za-z0-9.-]+$/, 'a host name or IP address');
        check('redis-addr', settings.redisAddr, /^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/, 'host:port (or a comma-separated Sentinel list)');
        options.database = {
            host: settings.databaseHost,
            port: settings.databasePort,
            username: settings.databaseUsername,
            password: settings.databasePassword,
            name: settings.databaseName,
            sslmode: settings.databaseSslmode,
        };
        options.redis = { addr: settings.redisAddr, password: settings.redisPassword, tls: settings.redisTls };
    }
    else if (given.length > 0) {
        platform.warning(`${given.map(label).join(', ')} ${given.length > 1 ? 'are' : 'is'} used only by the external-services profile and ignored with '${settings.profile}'`);
    }
    return options;
}
function camel(name) {
    return (0,inputs_definition/* camelCase */.xQ)(name);
}
/** Values files (in order) and then the `set` lines, as helm would apply `-f a -f b --set …`. */
function userValues(settings, platform) {
    let values = {};
    for (const entry of settings.valuesFiles ?? []) {
        const path = (0,capability/* workspacePath */.X5)(platform, entry);
        if (!(0,external_node_fs_.existsSync)(path))
            throw new errors/* InputError */.dz(`Input '${labelOf(platform, 'values-files')}': no file at ${entry}`);
        let doc;
        try {
            // As helm reads it: YAML 1.1, where `enabled: yes` is a boolean.
            doc = (0,dist/* parse */.qg)((0,external_node_fs_.readFileSync)(path, 'utf8'), { version: '1.1' });
        }
        catch (error) {
            throw new errors/* InputError */.dz(`Input '${labelOf(platform, 'values-files')}': ${entry} is not valid YAML (${error.message.split('\n')[0]})`);
        }
        if (doc === null || doc === undefined)
            continue;
        if (!isMap(doc))
            throw new errors/* InputError */.dz(`Input '${labelOf(platform, 'values-files')}': ${entry} must hold a map of values`);
        values = mergeValues(values, doc);
    }
    for (const line of settings.set ?? []) {
        const assignment = parseSetAssignment(line);
        if (!assignment)
            throw new errors/* InputError */.dz(`Input '${labelOf(platform, 'set')}': '${line.split('=')[0]}' is not key=value`);
        applyAssignment(values, assignment.path, assignment.value);
    }
    return values;
}
/**
 * A value that holds credentials, judged by its path as the chart names such keys: shown as (secret) in diffs even
 * when the user put it in values-files or `set`. Any segment counts, so everything below `registry.credentials` is
 * hidden; the chart's secret-bearing keys end in password, secret, token or key (`core.xsrfKey`, `secretKey`,
 * `core.tokenKey`, `internalTLS.*.key`, `azure.accountkey`, `gcs.encodedkey`, `oss.accesskeysecret`,
 * `trivy.gitHubToken`), and `core.configureUserSettings` is JSON that may carry LDAP/OIDC passwords. Hiding a
 * harmless key (`existingSecret`, a Secret's name) costs nothing; showing a secret cannot be undone.
 */
function looksSecret(path) {
    return path.some((segment) => /password|passwd|secret|token|credential|htpasswd|key$|usersettings/i.test(segment));
}
/** values.yaml's harborAdminPassword: every Harbor installed from the chart without one starts with it. */
const CHART_DEFAULT_ADMIN_PASSWORD = 'Harbor12345';
/**
 * The admin password Harbor will start with, judged on what the user gave (ours + values-files + set; the chart's own
 * default must not count as "given"). It needs neither helm nor the chart's values.yaml, so it runs before any tool is
 * looked up or downloaded and before anything remote: bad input fails first.
 */
function checkAdminPassword(values, platform) {
    if (values.existingSecretAdminPassword)
        return;
    if (values.harborAdminPassword === CHART_DEFAULT_ADMIN_PASSWORD) {
        throw new errors/* InputError */.dz(`Input '${labelOf(platform, 'admin-password')}' must not be the chart's well-known default password`);
    }
    if (typeof values.harborAdminPassword !== 'string' || values.harborAdminPassword === '') {
        throw new errors/* InputError */.dz(`Input '${labelOf(platform, 'admin-password')}' is required (or existingSecretAdminPassword in values-files/set); Harbor would otherwise start with the well-known default password`);
    }
}
/**
 * Checks on the values (ours + the user's) and on their merge with the chart's defaults, where values-files or set
 * may have changed what the inputs chose. The multi-attach rule is the seed's: a ReadWriteOnce volume attaches to one node, so a second
 * replica of registry or jobservice on another node never starts.
 */
function checkMergedValues(values, chart, platform) {
    const merged = mergeValues(chart, values);
    const persistent = getPath(merged, ['persistence', 'enabled']) !== false;
    const checks = [
        {
            component: 'registry',
            uses: persistent && getPath(merged, ['persistence', 'imageChartStorage', 'type']) === 'filesystem',
            path: PVC_PATH.registry,
        },
        {
            component: 'jobservice',
            uses: persistent &&
                (getPath(merged, ['jobservice', 'jobLoggers']) ?? ['file']).includes('file'),
            path: PVC_PATH.jobservice,
        },
    ];
    for (const { component, uses, path } of checks) {
        const replicas = Number(getPath(merged, [component, 'replicas']) ?? 1);
        const mode = getPath(merged, [...path, 'accessMode']) ?? 'ReadWriteOnce';
        if (uses && replicas > 1 && mode === 'ReadWriteOnce') {
            throw new errors/* UserError */.yo(`${component} with ${replicas} replicas on a ReadWriteOnce volume (${path.join('.')}) cannot work: the disk attaches to one node only, so replicas on other nodes fail with a Multi-Attach error. ` +
                `Use ReadWriteMany storage such as Azure Files (${labelOf(platform, `${component}-storage-class`)} azurefile-csi-premium-zrs, ${labelOf(platform, `${component}-access-mode`)} ReadWriteMany)` +
                `${component === 'registry' ? ', object storage (persistence.imageChartStorage.type)' : ''}, or ${labelOf(platform, `${component}-replicas`)} 1`);
        }
    }
}

;// CONCATENATED MODULE: ./shared/capabilities/deploy/run.ts















/**
 * Deploy or upgrade Harbor: build the profile's values, validate them against the chart before anything touches the
 * cluster, then one `helm upgrade --install` with the values in a private file, and (with wait) Harbor's own health
 * check at its external URL.
 */
async function runDeploy(settings, ctx) {
    const { platform } = ctx;
    // 1. Everything that needs neither helm nor the cluster.
    const options = harborOptions(settings, platform);
    const { values: profileValues, secretPaths } = harborValues(options);
    const extra = userValues(settings, platform);
    let values = mergeValues(profileValues, extra);
    checkAdminPassword(values, platform);
    const isSecret = (path) => looksSecret(path) || secretPaths.some((p) => p.join('\0') === path.join('\0'));
    const harborUrl = `https://${options.hostname}`;
    const chart = {
        name: pinned_chart/* PINNED_CHART */.e.name,
        version: settings.chartVersion.replace(/^v/, ''),
        repo: settings.chartRepo,
    };
    const caFile = settings.caFile && (0,capability/* workspacePath */.X5)(platform, settings.caFile);
    // ca-file and insecure are about the deployed Harbor; the helm download always verifies TLS with the runner's CAs.
    const http = ctx.http({
        caFile,
        caFileInput: ctx.label('ca-file'),
        insecure: settings.insecure,
        timeoutMs: Math.min(60_000, settings.timeout),
    });
    const download = ctx.http();
    const dir = new PrivateDir(platform.tempDir());
    try {
        // A kubeconfig (input or service connection) is checked and masked before helm is looked up or downloaded, so a
        // bad one fails at once; nothing contacts the cluster yet.
        const access = settings.clusterName
            ? await aksAccess(settings, ctx, dir)
            : resolveClusterAccess(platform, {
                connectionInput: 'kubernetesServiceConnection',
                kubeconfig: settings.kubeconfig,
                kubeconfigLabel: ctx.label('kubeconfig'),
            }, dir);
        // 2. helm (no cluster yet): tool cache or download, then the chart's values.yaml to validate against.
        const helmBinary = await resolveHelm(settings, ctx, download);
        const versionProbe = new Helm(platform, helmBinary);
        const helmVersion = await versionProbe.version();
        platform.info(`Using helm ${helmVersion.version} (${helmBinary})`);
        if (helmVersion.major === 3 && settings.applyMethod !== 'auto' && settings.applyMethod !== 'client-side') {
            throw new errors/* InputError */.dz(`Input '${ctx.label('apply-method')}' '${settings.applyMethod}' needs Helm 4; helm ${helmVersion.version} applies client-side only (set ${ctx.label('helm-version')} to a 4.x version)`);
        }
        const chartValues = chart.version === pinned_chart/* PINNED_CHART */.e.version
            ? pinnedChartValues()
            : parseChartValues(await versionProbe.chartValues(chart));
        validateKeys(profileValues, extra, chartValues, chart, platform);
        checkMergedValues(values, chartValues, platform);
        // 3. The cluster.
        platform.info(`Cluster access: ${access.source}`);
        const env = access.kubeconfig ? { KUBECONFIG: access.kubeconfig } : {};
        const helm = new Helm(platform, helmBinary, env);
        if (settings.createZrsStorageClasses) {
            const kubectl = await platform.which('kubectl');
            if (!kubectl)
                throw new errors/* UserError */.yo(`kubectl is not on PATH; it is needed for ${ctx.label('create-zrs-storage-classes')}`);
            await platform.group('ZRS storage classes', async () => {
                for (const line of await applyZrsStorageClasses(platform, kubectl, env, dir, settings.dryRun))
                    platform.info(line);
            });
        }
        // An existing release keeps the StatefulSet volume sizes it has unless the inputs ask for others.
        const deployed = await helm.deployedValues(settings.release, settings.namespace);
        if (deployed) {
            const kept = keepStatefulSetSizes(options, deployed.values, chartValues);
            for (const { component, size } of kept) {
                platform.info(`Keeping the ${size} ${component} volume release ${settings.release} has: Kubernetes cannot resize a StatefulSet's volume template (${ctx.label(`${component}-size`)} is not given)`);
            }
            if (kept.length > 0)
                values = mergeValues(harborValues(options).values, extra);
        }
        const digest = valuesDigest(values);
        // JSON is YAML without implicit typing: a password like `yes` or `0777` cannot turn into a boolean or a number
        // under helm's YAML 1.1 reading, as it could in a YAML file.
        const valuesFile = dir.write('values.json', `${JSON.stringify(values, null, 2)}\n`);
        const upgrade = {
            release: settings.release,
            namespace: settings.namespace,
            chart,
            valuesFile,
            wait: settings.wait,
            waitStrategy: settings.waitStrategy,
            applyMethod: settings.applyMethod,
            rollbackOnFailure: settings.rollbackOnFailure,
            timeoutMs: settings.timeout,
            dryRun: settings.dryRun,
        };
        if (settings.dryRun) {
            const rendered = await platform.group(`helm upgrade --install ${settings.release} (dry run)`, () => helm.upgrade(upgrade, helmVersion));
            const changes = diffValues(deployed?.values ?? {}, values, isSecret);
            const lines = changes.map((c) => `${c.kind === 'added' ? '+' : c.kind === 'removed' ? '-' : '~'} ${c.path}: ${c.kind === 'changed' ? `${c.before} → ${c.after}` : (c.after ?? c.before)}`);
            platform.info(deployed
                ? `Release ${settings.release} is at revision ${deployed.revision}; values that would change:`
                : `Release ${settings.release} does not exist yet; it would be installed with:`);
            for (const line of lines.length > 0 ? lines : ['(no change)'])
                platform.info(`  ${line}`);
            const kinds = countKinds(rendered.manifest);
            platform.info(`Rendered ${kinds}; nothing was changed (dry run).`);
            ctx.setOutput('harbor-url', harborUrl);
            ctx.setOutput('revision', deployed?.revision ?? 0);
            ctx.setOutput('values-digest', digest);
            await platform.addSummary(summary(settings, chart, harborUrl, digest, deployed ? `${deployed.revision} (dry run)` : 'none (dry run)', lines));
            return;
        }
        const release = await platform.group(`helm upgrade --install ${settings.release}`, () => helm.upgrade(upgrade, helmVersion));
        const method = release.applyMethod
            ? ` (${release.applyMethod === 'ssa' ? 'server-side' : 'client-side'} apply)`
            : '';
        platform.info(`Release ${settings.release} in ${settings.namespace}: revision ${release.revision}, ${release.status}${method}`);
        if (release.status !== 'deployed')
            throw new errors/* UserError */.yo(`helm finished but release ${settings.release} is '${release.status}', not 'deployed'`);
        ctx.setOutput('harbor-url', harborUrl);
        ctx.setOutput('revision', release.revision);
        ctx.setOutput('values-digest', digest);
        let health = '';
        if (settings.wait) {
            const result = await platform.group(`Waiting for ${harborHealthUrl(harborUrl)}`, () => waitForHarborHealthy(platform, http, harborUrl, settings.timeout));
            health = result.components.map((c) => c.name).join(', ');
            platform.info(`Harbor is healthy: ${health}`);
        }
        await platform.addSummary(summary(settings, chart, harborUrl, digest, String(release.revision), [], health));
    }
    finally {
        dir.dispose();
        await Promise.all([http.close(), download.close()]);
    }
}
/**
 * cluster-name: the AKS cluster through the Azure sign-in. It replaces the other ways to name a cluster, so giving
 * one of them as well is refused rather than silently ignored.
 */
function aksAccess(settings, ctx, dir) {
    const { platform } = ctx;
    const other = platform.getServiceConnection('kubernetesServiceConnection')
        ? 'kubernetesServiceConnection'
        : settings.kubeconfig?.trim()
            ? ctx.label('kubeconfig')
            : undefined;
    if (other)
        throw new errors/* InputError */.dz(`Input '${ctx.label('cluster-name')}' and '${other}' both name the cluster; use one of them`);
    return aksClusterAccess(platform, {
        azure: settings,
        resourceGroup: settings.resourceGroup,
        cluster: settings.clusterName,
        admin: settings.useClusterAdmin,
        namespace: settings.namespace,
        dryRun: settings.dryRun,
        timeoutMs: settings.timeout,
        names: {
            subscriptionId: ctx.label('subscription-id'),
            clientId: ctx.label('client-id'),
            tenantId: ctx.label('tenant-id'),
            resourceGroup: ctx.label('resource-group'),
            cluster: ctx.label('cluster-name'),
            admin: ctx.label('use-cluster-admin'),
        },
    }, dir);
}
async function resolveHelm(settings, ctx, http) {
    const { platform } = ctx;
    const label = ctx.label('helm-version');
    const wanted = settings.helmVersion ? normalizeHelmVersion(settings.helmVersion, label) : undefined;
    const onPath = await platform.which('helm');
    if (onPath) {
        if (!wanted)
            return onPath;
        const version = (await new Helm(platform, onPath).version().catch(() => undefined))?.version;
        if (version === wanted)
            return onPath;
        platform.info(`helm on PATH is ${version ?? 'unusable'}; ${label} asks for ${wanted}`);
    }
    return installHelm(platform, http, wanted ?? helm_defaults/* DEFAULT_HELM_VERSION */.K, settings.helmMirror);
}
/**
 * Every key this step sets must exist in the chart (a typo'd key is silently ignored by helm — exactly the failure this
 * step exists to prevent); keys from values-files or set that the chart does not know are reported as warnings,
 * since charts accept some undocumented keys.
 */
function validateKeys(ours, theirs, chartValues, chart, platform) {
    const where = `chart ${chart.name} ${chart.version} values.yaml`;
    const unknown = unknownPaths(ours, chartValues);
    if (unknown.length > 0) {
        throw new errors/* UserError */.yo(`${where} has no ${unknown.map(formatPath).join(', ')}; this chart version does not fit the profile — use chart-version ${pinned_chart/* PINNED_CHART */.e.version}`);
    }
    for (const path of unknownPaths(theirs, chartValues)) {
        const hint = suggestPath(path, chartValues);
        platform.warning(`${where} has no ${formatPath(path)} (from values-files or set); helm will ignore it${hint ? ` — did you mean ${hint}?` : ''}`);
    }
}
function countKinds(manifest) {
    const counts = new Map();
    for (const m of (manifest ?? '').matchAll(/^kind:\s*(\S+)/gm))
        counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    return `${total} objects${total ? ` (${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')})` : ''}`;
}
function summary(settings, chart, url, digest, revision, changes, health = '') {
    const rows = [
        ['Profile', settings.profile],
        ['Release', `${settings.release} in ${settings.namespace}`],
        ['Chart', `${chart.name} ${chart.version}`],
        ['Revision', revision],
        ['URL', url],
        ['Values digest', `\`${digest}\``],
        ...(health ? [['Healthy components', health]] : []),
    ];
    let md = `### Harbor deploy\n\n| | |\n| --- | --- |\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n`;
    if (changes.length > 0)
        md += `\n<details><summary>Values that would change</summary>\n\n\`\`\`diff\n${changes.join('\n')}\n\`\`\`\n</details>\n`;
    return md;
}

;// CONCATENATED MODULE: ./shared/capabilities/deploy/index.ts



/* harmony default export */ const deploy = ((0,capability/* defineRunner */.Kq)(definition/* definition */.m, runDeploy));


/***/ })

};
;