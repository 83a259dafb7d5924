/******/ (() => { // webpackBootstrap
/******/ 	"use strict";
/******/ 	var __webpack_modules__ = ({

/***/ 4914:
/***/ (function(__unused_webpack_module, exports, __nccwpck_require__) {


var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.issueCommand = issueCommand;
exports.issue = issue;
const os = __importStar(__nccwpck_require__(857));
const utils_1 = __nccwpck_require__(302);
/**
 * Issues a command to the GitHub Actions runner
 *
 * @param command - The command name to issue
 * @param properties - Additional properties for the command (key-value pairs)
 * @param message - The message to include with the command
 * @remarks
 * This function outputs a specially formatted string to stdout that the Actions
 * runner interprets as a command. These commands can control workflow behavior,
 * set outputs, create annotations, mask values, and more.
 *
 * Command Format:
 *   ::name key=value,key=value::message
 *
 * @example
 * ```typescript
 * // Issue a warning annotation
 * issueCommand('warning', {}, 'This is a warning message');
 * // Output: ::warning::This is a warning message
 *
 * // Set an environment variable
 * issueCommand('set-env', { name: 'MY_VAR' }, 'some value');
 * // Output: ::set-env name=MY_VAR::some value
 *
 * // Add a secret mask
 * issueCommand('add-mask', {}, 'secretValue123');
 * // Output: ::add-mask::secretValue123
 * ```
 *
 * @internal
 * This is an internal utility function that powers the public API functions
 * such as setSecret, warning, error, and exportVariable.
 */
function issueCommand(command, properties, message) {
    const cmd = new Command(command, properties, message);
    process.stdout.write(cmd.toString() + os.EOL);
}
function issue(name, message = '') {
    issueCommand(name, {}, message);
}
const CMD_STRING = '::';
class Command {
    constructor(command, properties, message) {
        if (!command) {
            command = 'missing.command';
        }
        this.command = command;
        this.properties = properties;
        this.message = message;
    }
    toString() {
        let cmdStr = CMD_STRING + this.command;
        if (this.properties && Object.keys(this.properties).length > 0) {
            cmdStr += ' ';
            let first = true;
            for (const key in this.properties) {
                if (this.properties.hasOwnProperty(key)) {
                    const val = this.properties[key];
                    if (val) {
                        if (first) {
                            first = false;
                        }
                        else {
                            cmdStr += ',';
                        }
                        cmdStr += `${key}=${escapeProperty(val)}`;
                    }
                }
            }
        }
        cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
        return cmdStr;
    }
}
function escapeData(s) {
    return (0, utils_1.toCommandValue)(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return (0, utils_1.toCommandValue)(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A')
        .replace(/:/g, '%3A')
        .replace(/,/g, '%2C');
}
//# sourceMappingURL=command.js.map

/***/ }),

/***/ 4753:
/***/ (function(__unused_webpack_module, exports, __nccwpck_require__) {


// For internal use, subject to change.
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.issueFileCommand = issueFileCommand;
exports.prepareKeyValueMessage = prepareKeyValueMessage;
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
const crypto = __importStar(__nccwpck_require__(6982));
const fs = __importStar(__nccwpck_require__(9896));
const os = __importStar(__nccwpck_require__(857));
const utils_1 = __nccwpck_require__(302);
function issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath) {
        throw new Error(`Unable to find environment variable for file command ${command}`);
    }
    if (!fs.existsSync(filePath)) {
        throw new Error(`Missing file at path: ${filePath}`);
    }
    fs.appendFileSync(filePath, `${(0, utils_1.toCommandValue)(message)}${os.EOL}`, {
        encoding: 'utf8'
    });
}
function prepareKeyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
    const convertedValue = (0, utils_1.toCommandValue)(value);
    // These should realistically never happen, but just in case someone finds a
    // way to exploit uuid generation let's not allow keys or values that contain
    // the delimiter.
    if (key.includes(delimiter)) {
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    }
    if (convertedValue.includes(delimiter)) {
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${os.EOL}${convertedValue}${os.EOL}${delimiter}`;
}
//# sourceMappingURL=file-command.js.map

/***/ }),

/***/ 1847:
/***/ (function(__unused_webpack_module, exports, __nccwpck_require__) {


var __awaiter = (this && this.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.summary = exports.markdownSummary = exports.SUMMARY_DOCS_URL = exports.SUMMARY_ENV_VAR = void 0;
const os_1 = __nccwpck_require__(857);
const fs_1 = __nccwpck_require__(9896);
const { access, appendFile, writeFile } = fs_1.promises;
exports.SUMMARY_ENV_VAR = 'GITHUB_STEP_SUMMARY';
exports.SUMMARY_DOCS_URL = 'https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-job-summary';
class Summary {
    constructor() {
        this._buffer = '';
    }
    /**
     * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
     * Also checks r/w permissions.
     *
     * @returns step summary file path
     */
    filePath() {
        return __awaiter(this, void 0, void 0, function* () {
            if (this._filePath) {
                return this._filePath;
            }
            const pathFromEnv = process.env[exports.SUMMARY_ENV_VAR];
            if (!pathFromEnv) {
                throw new Error(`Unable to find environment variable for $${exports.SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
            }
            try {
                yield access(pathFromEnv, fs_1.constants.R_OK | fs_1.constants.W_OK);
            }
            catch (_a) {
                throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
            }
            this._filePath = pathFromEnv;
            return this._filePath;
        });
    }
    /**
     * Wraps content in an HTML tag, adding any HTML attributes
     *
     * @param {string} tag HTML tag to wrap
     * @param {string | null} content content within the tag
     * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
     *
     * @returns {string} content wrapped in HTML element
     */
    wrap(tag, content, attrs = {}) {
        const htmlAttrs = Object.entries(attrs)
            .map(([key, value]) => ` ${key}="${value}"`)
            .join('');
        if (!content) {
            return `<${tag}${htmlAttrs}>`;
        }
        return `<${tag}${htmlAttrs}>${content}</${tag}>`;
    }
    /**
     * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
     *
     * @param {SummaryWriteOptions} [options] (optional) options for write operation
     *
     * @returns {Promise<Summary>} summary instance
     */
    write(options) {
        return __awaiter(this, void 0, void 0, function* () {
            const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
            const filePath = yield this.filePath();
            const writeFunc = overwrite ? writeFile : appendFile;
            yield writeFunc(filePath, this._buffer, { encoding: 'utf8' });
            return this.emptyBuffer();
        });
    }
    /**
     * Clears the summary buffer and wipes the summary file
     *
     * @returns {Summary} summary instance
     */
    clear() {
        return __awaiter(this, void 0, void 0, function* () {
            return this.emptyBuffer().write({ overwrite: true });
        });
    }
    /**
     * Returns the current summary buffer as a string
     *
     * @returns {string} string of summary buffer
     */
    stringify() {
        return this._buffer;
    }
    /**
     * If the summary buffer is empty
     *
     * @returns {boolen} true if the buffer is empty
     */
    isEmptyBuffer() {
        return this._buffer.length === 0;
    }
    /**
     * Resets the summary buffer without writing to summary file
     *
     * @returns {Summary} summary instance
     */
    emptyBuffer() {
        this._buffer = '';
        return this;
    }
    /**
     * Adds raw text to the summary buffer
     *
     * @param {string} text content to add
     * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
     *
     * @returns {Summary} summary instance
     */
    addRaw(text, addEOL = false) {
        this._buffer += text;
        return addEOL ? this.addEOL() : this;
    }
    /**
     * Adds the operating system-specific end-of-line marker to the buffer
     *
     * @returns {Summary} summary instance
     */
    addEOL() {
        return this.addRaw(os_1.EOL);
    }
    /**
     * Adds an HTML codeblock to the summary buffer
     *
     * @param {string} code content to render within fenced code block
     * @param {string} lang (optional) language to syntax highlight code
     *
     * @returns {Summary} summary instance
     */
    addCodeBlock(code, lang) {
        const attrs = Object.assign({}, (lang && { lang }));
        const element = this.wrap('pre', this.wrap('code', code), attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML list to the summary buffer
     *
     * @param {string[]} items list of items to render
     * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
     *
     * @returns {Summary} summary instance
     */
    addList(items, ordered = false) {
        const tag = ordered ? 'ol' : 'ul';
        const listItems = items.map(item => this.wrap('li', item)).join('');
        const element = this.wrap(tag, listItems);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML table to the summary buffer
     *
     * @param {SummaryTableCell[]} rows table rows
     *
     * @returns {Summary} summary instance
     */
    addTable(rows) {
        const tableBody = rows
            .map(row => {
            const cells = row
                .map(cell => {
                if (typeof cell === 'string') {
                    return this.wrap('td', cell);
                }
                const { header, data, colspan, rowspan } = cell;
                const tag = header ? 'th' : 'td';
                const attrs = Object.assign(Object.assign({}, (colspan && { colspan })), (rowspan && { rowspan }));
                return this.wrap(tag, data, attrs);
            })
                .join('');
            return this.wrap('tr', cells);
        })
            .join('');
        const element = this.wrap('table', tableBody);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds a collapsable HTML details element to the summary buffer
     *
     * @param {string} label text for the closed state
     * @param {string} content collapsable content
     *
     * @returns {Summary} summary instance
     */
    addDetails(label, content) {
        const element = this.wrap('details', this.wrap('summary', label) + content);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML image tag to the summary buffer
     *
     * @param {string} src path to the image you to embed
     * @param {string} alt text description of the image
     * @param {SummaryImageOptions} options (optional) addition image attributes
     *
     * @returns {Summary} summary instance
     */
    addImage(src, alt, options) {
        const { width, height } = options || {};
        const attrs = Object.assign(Object.assign({}, (width && { width })), (height && { height }));
        const element = this.wrap('img', null, Object.assign({ src, alt }, attrs));
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML section heading element
     *
     * @param {string} text heading text
     * @param {number | string} [level=1] (optional) the heading level, default: 1
     *
     * @returns {Summary} summary instance
     */
    addHeading(text, level) {
        const tag = `h${level}`;
        const allowedTag = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].includes(tag)
            ? tag
            : 'h1';
        const element = this.wrap(allowedTag, text);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML thematic break (<hr>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addSeparator() {
        const element = this.wrap('hr', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML line break (<br>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addBreak() {
        const element = this.wrap('br', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML blockquote to the summary buffer
     *
     * @param {string} text quote text
     * @param {string} cite (optional) citation url
     *
     * @returns {Summary} summary instance
     */
    addQuote(text, cite) {
        const attrs = Object.assign({}, (cite && { cite }));
        const element = this.wrap('blockquote', text, attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML anchor tag to the summary buffer
     *
     * @param {string} text link text/content
     * @param {string} href hyperlink
     *
     * @returns {Summary} summary instance
     */
    addLink(text, href) {
        const element = this.wrap('a', text, { href });
        return this.addRaw(element).addEOL();
    }
}
const _summary = new Summary();
/**
 * @deprecated use `core.summary`
 */
exports.markdownSummary = _summary;
exports.summary = _summary;
//# sourceMappingURL=summary.js.map

/***/ }),

/***/ 302:
/***/ ((__unused_webpack_module, exports) => {


// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.toCommandValue = toCommandValue;
exports.toCommandProperties = toCommandProperties;
/**
 * Sanitizes an input into a string so it can be passed into issueCommand safely
 * @param input input to sanitize into a string
 */
function toCommandValue(input) {
    if (input === null || input === undefined) {
        return '';
    }
    else if (typeof input === 'string' || input instanceof String) {
        return input;
    }
    return JSON.stringify(input);
}
/**
 *
 * @param annotationProperties
 * @returns The command properties to send with the actual annotation command
 * See IssueCommandProperties: https://github.com/actions/runner/blob/main/src/Runner.Worker/ActionCommandManager.cs#L646
 */
function toCommandProperties(annotationProperties) {
    if (!Object.keys(annotationProperties).length) {
        return {};
    }
    return {
        title: annotationProperties.title,
        file: annotationProperties.file,
        line: annotationProperties.startLine,
        endLine: annotationProperties.endLine,
        col: annotationProperties.startColumn,
        endColumn: annotationProperties.endColumn
    };
}
//# sourceMappingURL=utils.js.map

/***/ }),

/***/ 1443:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   H6: () => (/* binding */ TOKEN_ADMIN_ROLE),
/* harmony export */   L7: () => (/* binding */ IMPORT_ROLE)
/* harmony export */ });
/* unused harmony exports CLUSTER_USER_ROLE, CLUSTER_ADMIN_ROLE */
// Azure built-in roles a step needs, named in its inputs' descriptions and in the advice it gives. Kept apart from the
// ARM clients so a step's definition names them without loading those clients (and node:crypto) at start-up.
/** The built-in role that covers scope maps, tokens and generateCredentials without the rest of Contributor. */
const TOKEN_ADMIN_ROLE = 'Container Registry Contributor and Data Access Configuration Administrator';
/** The built-in role for importImage (and reading what was imported). */
const IMPORT_ROLE = 'Container Registry Data Importer and Data Reader';
/** Built-in AKS roles. */
const CLUSTER_USER_ROLE = 'Azure Kubernetes Service Cluster User Role';
const CLUSTER_ADMIN_ROLE = 'Azure Kubernetes Service Cluster Admin Role';


/***/ }),

/***/ 5563:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  m: () => (/* binding */ definition_definition)
});

// EXTERNAL MODULE: ./shared/azure/roles.ts
var roles = __nccwpck_require__(1443);
;// CONCATENATED MODULE: ./shared/azure/inputs.ts
/**
 * The Azure inputs every ARM step takes, declared once so acr-token and acr-import spell, describe and parse them
 * alike. `main` holds the registry and sign-in inputs, `advanced` the sovereign-cloud knobs. resource-group and
 * registry are needed always: a step where Azure is optional checks them itself, the others mark them required.
 */
function azureInputs(groups) {
    return {
        'subscription-id': {
            name: 'subscription-id',
            type: 'string',
            description: "Subscription of the registry. Default: the service connection's subscription (Azure DevOps) or the Azure CLI's current one (GitHub; required with client-id).",
            group: groups.main,
        },
        'resource-group': {
            name: 'resource-group',
            type: 'string',
            description: 'Resource group of the registry.',
            group: groups.main,
        },
        registry: {
            name: 'registry',
            type: 'string',
            description: 'Registry name (myregistry, not myregistry.azurecr.io).',
            group: groups.main,
        },
        ...azureSignInInputs(groups),
        'resource-manager-url': {
            name: 'resource-manager-url',
            type: 'url',
            default: 'https://management.azure.com',
            description: 'Azure Resource Manager endpoint (sovereign clouds: https://management.usgovcloudapi.net, https://management.chinacloudapi.cn). Azure DevOps takes it from the service connection.',
            platforms: ['github'],
            group: groups.advanced,
        },
    };
}
/**
 * The GitHub sign-in inputs alone (OIDC as an app registration or user-assigned identity, else the Azure CLI login):
 * what a step that reaches an Azure data plane (Key Vault) but not ARM takes. On Azure DevOps the `azureSubscription`
 * service connection (azureConnection) is the sign-in.
 */
function azureSignInInputs(groups) {
    return {
        'client-id': {
            name: 'client-id',
            type: 'string',
            description: 'Sign in with GitHub OIDC as this app registration or user-assigned identity (needs tenant-id and `permissions: id-token: write`). Empty: use the Azure CLI login (azure/login).',
            platforms: ['github'],
            group: groups.main,
        },
        'tenant-id': {
            name: 'tenant-id',
            type: 'string',
            description: 'Entra tenant of client-id.',
            platforms: ['github'],
            group: groups.main,
        },
        'authority-host': {
            name: 'authority-host',
            type: 'url',
            default: 'https://login.microsoftonline.com',
            description: 'Entra authority host for the OIDC exchange (sovereign clouds: https://login.microsoftonline.us, https://login.chinacloudapi.cn).',
            platforms: ['github'],
            group: groups.advanced,
        },
        'oidc-audience': {
            name: 'oidc-audience',
            type: 'string',
            default: 'api://AzureADTokenExchange',
            description: 'Audience requested for the GitHub OIDC token; must match the federated credential.',
            platforms: ['github'],
            group: groups.advanced,
        },
    };
}
/** The ADO AzureRM service connection input (`azureSubscription`), naming the role the step needs on the registry. */
function azureConnection(role, options) {
    return {
        input: 'azureSubscription',
        kind: 'azurerm',
        label: 'Azure subscription',
        description: `Azure Resource Manager service connection (service principal with a secret or certificate, workload identity federation, or the agent machine managed identity) with the ${role} role (or Contributor) on the registry.`,
        ...options,
    };
}

// EXTERNAL MODULE: ./shared/harbor/inputs.ts
var inputs = __nccwpck_require__(3020);
// EXTERNAL MODULE: ./shared/inputs/definition.ts
var definition = __nccwpck_require__(2381);
;// CONCATENATED MODULE: ./shared/capabilities/acr-token/definition.ts




const registration = 'registerInHarbor = true';
const harbor = (0,inputs/* harborInputs */.o6)({
    prefix: 'harbor-',
    groups: { main: 'harbor', tls: 'harbor' },
    account: 'Harbor administrator or system robot account (it creates registry endpoints).',
    visibleRule: registration,
});
const azure = azureInputs({ main: 'main', advanced: 'advanced' });
const definition_definition = (0,definition/* defineCapability */.am)({
    id: 'acr-token',
    taskName: 'HarborAcrToken',
    friendlyName: 'ACR scoped token',
    shortDescription: 'Create or rotate a scoped Azure Container Registry token with an expiring password; optionally register it in Harbor.',
    description: 'Create or update an Azure Container Registry scope map and token, generate an expiring password as a secret output, and optionally register it in Harbor as a replication endpoint.',
    category: 'Deploy',
    version: { major: 1, minor: 0, patch: 0 },
    taskId: 'aa437404-6be2-4097-9b4f-b98e376e926f',
    branding: { icon: 'lock', color: 'blue' },
    connections: [
        azureConnection(roles/* TOKEN_ADMIN_ROLE */.H6, { group: 'main' }),
        (0,inputs/* harborServiceConnection */.e$)('Harbor service connection (an administrator or a system robot account with registry permissions).', { required: false, visibleRule: registration, group: 'harbor' }),
    ],
    groups: [
        ['main', 'Registry, scope map and token'],
        ['harbor', 'Harbor registration'],
        ['advanced', 'Advanced'],
    ],
    inputs: {
        ...azure,
        'resource-group': { ...azure['resource-group'], required: true },
        registry: { ...azure.registry, required: true },
        'scope-map': {
            name: 'scope-map',
            type: 'string',
            description: 'Scope map name (5-50 letters, digits, - or _). Default: <token>-scope-map, as az acr token create names it.',
            group: 'main',
        },
        repositories: {
            name: 'repositories',
            type: 'lines',
            required: true,
            description: 'One repository per line: `repo: action, action`. Actions: content/read, content/write, content/delete, metadata/read, metadata/write; `repo` alone grants content/read, content/write and metadata/read. `*` is a wildcard alone or as the whole last segment (`samples/*`); at most 500 repositories and 500 actions.',
            group: 'main',
        },
        token: {
            name: 'token',
            type: 'string',
            required: true,
            description: 'Token name (5-50 letters, digits or -); it is the registry username.',
            group: 'main',
        },
        'password-expiry': {
            name: 'password-expiry',
            type: 'string',
            default: '30d',
            description: 'When a generated password expires: a duration from now (12h, 30d) or an ISO date (2026-12-31 or 2026-12-31T18:00:00Z); `never` for no expiry.',
            group: 'main',
        },
        'password-name': {
            name: 'password-name',
            type: 'choice',
            options: ['password1', 'password2'],
            default: 'password1',
            description: 'Which of the two token passwords to generate. With register-in-harbor and an existing endpoint the step alternates on its own: it generates the slot Harbor is not using, so the running endpoint keeps working until it switches.',
            group: 'main',
        },
        rotate: {
            name: 'rotate',
            type: 'boolean',
            default: 'false',
            description: 'Generate a new password even when the token exists and its password is still valid (the previous value of that password stops working).',
            group: 'main',
        },
        status: {
            name: 'status',
            type: 'choice',
            options: ['enabled', 'disabled'],
            default: 'enabled',
            description: 'Token status; disabled blocks every login with it.',
            group: 'main',
        },
        'register-in-harbor': {
            name: 'register-in-harbor',
            type: 'boolean',
            default: 'false',
            description: 'Create or update a Harbor registry endpoint (type azure-acr) with the token credentials, ping-tested before it is saved.',
            group: 'harbor',
        },
        ...harbor,
        'harbor-registry-name': {
            name: 'harbor-registry-name',
            type: 'string',
            description: 'Name of the Harbor registry endpoint. Default: the login server (myregistry.azurecr.io).',
            visibleRule: registration,
            group: 'harbor',
        },
        'harbor-registry-url': {
            name: 'harbor-registry-url',
            type: 'url',
            description: 'URL Harbor uses to reach the registry. Default: https://<login server>.',
            visibleRule: registration,
            group: 'harbor',
        },
        timeout: {
            name: 'timeout',
            type: 'duration',
            default: '10m',
            description: 'How long the step may take for all its Azure and Harbor calls, retries and long-running operations included.',
            group: 'advanced',
        },
    },
    outputs: [
        { name: 'username', description: 'Registry username (the token name).' },
        {
            name: 'password',
            description: 'The generated password; set only when one was generated (new token, rotate, or the password was missing or expired).',
            secret: true,
        },
        {
            name: 'password-name',
            description: 'The slot (password1 or password2) the password output belongs to; with register-in-harbor, the slot the Harbor endpoint now uses.',
        },
        { name: 'login-server', description: 'Registry login server, e.g. myregistry.azurecr.io.' },
        { name: 'expiry', description: "Expiry of the token's password (ISO 8601), empty when it never expires." },
        { name: 'scope-map-id', description: 'Resource id of the scope map.' },
        { name: 'token-id', description: 'Resource id of the token.' },
        { name: 'harbor-registry-id', description: 'Id of the Harbor registry endpoint (with register-in-harbor).' },
    ],
});


/***/ }),

/***/ 5806:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Kq: () => (/* binding */ defineRunner),
  rL: () => (/* reexport */ httpClientFor),
  WG: () => (/* binding */ runCapability),
  X5: () => (/* reexport */ workspacePath)
});

// EXTERNAL MODULE: ./shared/errors.ts
var errors = __nccwpck_require__(2635);
// EXTERNAL MODULE: ./shared/inputs/parse.ts
var parse = __nccwpck_require__(3841);
// EXTERNAL MODULE: ./shared/redact.ts
var redact = __nccwpck_require__(4781);
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = require("node:path");
// EXTERNAL MODULE: ./shared/http/client.ts + 3 modules
var client = __nccwpck_require__(2183);
;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = require("node:fs");
;// CONCATENATED MODULE: ./shared/util/files.ts


/**
 * Reads a file a user named. A file system error becomes one line the user can act on: `explain` words it from the
 * errno code (`ENOENT`, `EISDIR`, …; the error's text where there is no code), so no caller repeats the catch.
 */
function readUserFile(file, explain) {
    try {
        return (0,external_node_fs_namespaceObject.readFileSync)(file);
    }
    catch (error) {
        throw new errors/* UserError */.yo(explain(error.code ?? String(error)));
    }
}
/** `readUserFile` as UTF-8 text. */
function readUserText(file, explain) {
    return readUserFile(file, explain).toString('utf8');
}
/** The usual wording: `Cannot read <what> <file>: no such file` (or the errno code). */
function cannotRead(what, file, code) {
    return `Cannot read ${what} ${file}: ${code === 'ENOENT' ? 'no such file' : code}`;
}
/** What a user-named path is right now: a file, a directory, something else, or nothing (missing or unreadable). */
function pathKind(path) {
    try {
        const stat = statSync(path);
        return stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other';
    }
    catch {
        return undefined;
    }
}
/**
 * Gives a Buffer's memory back now, when the caller is done with it and nothing else holds a view of it, instead of at
 * V8's next full garbage collection, which may come only after the step has allocated its outputs on top (trivy-gate
 * on Node 24, 100 000 findings, 25 MB of SARIF written: peak RSS 260 → 227 MB; bench/trivy-gate/RESULTS.md).
 * `ArrayBuffer.prototype.transfer` (Node 21+) detaches it; on older Nodes this does nothing. Only for a Buffer that
 * owns its whole ArrayBuffer (not a slice of Node's pool, which other Buffers share).
 */
function releaseBuffer(buf) {
    const whole = buf.buffer;
    if (typeof whole.transfer === 'function' && buf.byteOffset === 0 && buf.byteLength === whole.byteLength)
        whole.transfer(0);
}

;// CONCATENATED MODULE: ./shared/http/trust.ts


// node:tls and node:crypto load when a client's trust is read, not on import: this module is part of every step's
// start (through the step context), and a step stopped by its inputs needs neither (bench/startup).
/* eslint-disable @typescript-eslint/no-require-imports */
const tls = () => __nccwpck_require__(1692);
const trust_crypto = () => __nccwpck_require__(7598);
/**
 * The TLS trust of one HTTP client, read where the step's settings are parsed: the CA files (the step's input and the
 * runner's) are read here, so an unreadable one fails with its input's name before any request, and constructing an
 * HttpClient never touches the disk or the log. `ca` is undefined when Node's defaults apply.
 */
function loadTrust(inputs) {
    const files = [...(inputs.network?.caFiles ?? []), ...(inputs.caFile ? [inputs.caFile] : [])];
    const ca = files.length > 0
        ? [
            ...tls().rootCertificates,
            ...files.map((f) => readCa(f, f === inputs.caFile ? inputs.caFileInput : undefined)),
        ]
        : undefined;
    if (inputs.insecure)
        inputs.warning?.('TLS certificate verification is disabled (insecure); use a CA file instead where you can');
    return { ca, insecure: inputs.insecure ?? false };
}
function readCa(file, input) {
    const from = input ? ` (input '${input}')` : '';
    const text = readUserText(file, (code) => `Cannot read CA file ${file}${from}: ${code === 'EISDIR' ? 'it is a directory; give the PEM file' : code}`);
    // Node ignores what it cannot parse in `ca` and then fails every TLS handshake with a misleading "unable to verify".
    const pem = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    const { X509Certificate } = trust_crypto();
    const valid = pem.filter((block) => {
        try {
            new X509Certificate(block);
            return true;
        }
        catch {
            return false;
        }
    });
    if (valid.length === 0)
        throw new errors/* UserError */.yo(`CA file ${file}${from} holds no PEM certificate (-----BEGIN CERTIFICATE----- … ); give the CA's certificate in PEM form`);
    return text;
}

// EXTERNAL MODULE: ./shared/inputs/definition.ts
var inputs_definition = __nccwpck_require__(2381);
// EXTERNAL MODULE: ./shared/util/clock.ts
var util_clock = __nccwpck_require__(5977);
;// CONCATENATED MODULE: ./shared/step-context.ts





function stepContext(definition, platform, clock = util_clock/* systemClock */.ml) {
    return {
        platform,
        label: (key) => platform.inputName(definition.inputs[key]),
        setOutput: (name, value) => {
            const spec = definition.outputs.find((o) => o.name === name);
            if (!spec)
                throw new Error(`${definition.id} declares no output ${name}`);
            platform.setOutput(spec, String(value));
        },
        setting: (settings, key) => settings[(0,inputs_definition/* camelCase */.xQ)(key)],
        clock,
        http: (options) => httpClientFor(platform, options),
    };
}
/**
 * The shared HTTP layer configured from the step's TLS inputs and the runner's proxy/CA settings. CA files are read
 * (and `insecure` warned about) here, as part of opening the step's settings.
 */
function httpClientFor(platform, options = {}) {
    const { caFile, caFileInput, insecure, ...rest } = options;
    const network = platform.network();
    return new client/* HttpClient */.Qq({
        ...rest,
        ...loadTrust({ caFile, caFileInput, insecure, network, warning: (m) => platform.warning(m) }),
        network,
        userAgent: `harbor-pipelines (${platform.kind})`,
        debug: (m) => platform.debug(m),
        info: (m) => platform.info(m),
    });
}
/** A path input as the user means it: relative to the workspace (the checkout), absolute as given. */
function workspacePath(platform, file) {
    return (0,external_node_path_namespaceObject.resolve)(platform.workspaceDir(), file);
}

;// CONCATENATED MODULE: ./shared/capability.ts





function defineRunner(definition, run) {
    return { definition, run };
}
/**
 * The frame every step runs in on every platform: read and validate all inputs first, build the step's one context
 * (labels, outputs, clock, HTTP), run, and turn any failure into one line naming what failed. A stack trace is shown
 * only with debug logging on.
 */
async function runCapability(capability, platform, options = {}) {
    try {
        await platform.prepare?.(Object.values(capability.definition.inputs));
        const settings = (0,parse/* readSettings */.sb)(capability.definition, platform);
        const result = await capability.run(settings, stepContext(capability.definition, platform, options.clock));
        if (result && result !== 'succeeded')
            platform.setResult(result);
        else
            platform.setResult('succeeded');
    }
    catch (error) {
        if (platform.isDebug() && error instanceof Error && error.stack)
            platform.debug((0,redact/* redactText */.Rd)(error.stack));
        const message = (0,redact/* redactText */.Rd)((0,errors/* oneLine */.TN)(error));
        platform.setResult('failed', error instanceof errors/* UserError */.yo ? message : `${message} (unexpected error; enable debug logging for details)`);
    }
}


/***/ }),

/***/ 2635:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   TN: () => (/* binding */ oneLine),
/* harmony export */   dz: () => (/* binding */ InputError),
/* harmony export */   yo: () => (/* binding */ UserError)
/* harmony export */ });
/**
 * A failure the user can act on. Its message is the one line the step prints: what failed, which input or remote
 * answer, and what to do. Anything that is not a UserError is a bug and is reported with a hint to enable debug logs.
 */
class UserError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = 'UserError';
    }
}
/** A malformed or missing input; the message names the input as the user spells it on this platform. */
class InputError extends UserError {
    constructor(message) {
        super(message);
        this.name = 'InputError';
    }
}
/** The first line of an error's message, for one-line reporting. */
function oneLine(error) {
    const text = error instanceof Error ? error.message : String(error);
    const line = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? 'unknown error';
    return line.trim();
}


/***/ }),

/***/ 438:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   OI: () => (/* binding */ HarborClient),
/* harmony export */   OS: () => (/* binding */ exactQuery)
/* harmony export */ });
/* unused harmony export encodeRepository */
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(2635);
/* harmony import */ var _http_client__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(2183);
/* harmony import */ var _redact__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(4781);
/* harmony import */ var _remote_error__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(7993);
/* harmony import */ var _util_basic_auth__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(7740);





/** Harbor caps page_size at 100 (swagger: `maximum: 100`). */
const PAGE_SIZE = 100;
/**
 * The Harbor API v2.0 client core: basic auth (robot accounts included — their names contain `$`, so credentials go in
 * the Authorization header, never in the URL), JSON, pagination, and Harbor's error answers turned into one-line
 * messages. Feature modules (projects, artifacts and scans, registries, replication) build on `call` and `list`.
 */
class HarborClient {
    url;
    credentials;
    http;
    account;
    apiBase;
    authorization;
    authProbe;
    /**
     * @param account who the account must be for the step (its docs' sentence with the permissions), named when Harbor
     * refuses a credential the step cannot work with (see `explainRefusal`).
     */
    constructor(url, credentials, http, account) {
        this.url = url;
        this.credentials = credentials;
        this.http = http;
        this.account = account;
        this.url = url.replace(/\/+$/, '');
        this.apiBase = `${this.url}/api/v2.0`;
        if (credentials.username !== undefined) {
            this.authorization = (0,_util_basic_auth__WEBPACK_IMPORTED_MODULE_3__/* .basicAuth */ .t)(credentials.username, credentials.password);
        }
    }
    /** The same Harbor over the HTTP layer's clean-up client: one short attempt even after the step's budget ran out. */
    forCleanup() {
        return new HarborClient(this.url, this.credentials, this.http.forCleanup(), this.account);
    }
    get username() {
        return this.credentials.username;
    }
    /** Host (and port) as used in image references. */
    get registryHost() {
        return new URL(this.url).host;
    }
    /**
     * One API call. `expected` lists the statuses that are not errors; anything else becomes a RemoteError naming the
     * operation, the status and Harbor's own code and message.
     */
    async call(method, path, options = {}) {
        const url = new URL(this.apiBase + path);
        for (const [key, value] of Object.entries(options.query ?? {})) {
            if (value !== undefined)
                url.searchParams.set(key, String(value));
        }
        const headers = { accept: 'application/json', ...options.headers };
        if (this.authorization)
            headers.authorization = this.authorization;
        const res = await this.http.request({
            method,
            url: url.toString(),
            headers,
            json: options.json,
            retry: options.retry,
        });
        if ((0,_http_client__WEBPACK_IMPORTED_MODULE_1__/* .answeredHtml */ .l9)(res)) {
            throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`Harbor at ${(0,_redact__WEBPACK_IMPORTED_MODULE_4__/* .redactUrl */ .BO)(this.url)} answered HTML, not JSON (${method} ${url.pathname}): is this the API URL (a proxy or a login page in between)?`);
        }
        const expected = options.expected ?? [200, 201, 202];
        if (!expected.includes(res.status)) {
            const error = this.errorFor(res, method, url.toString(), options.what);
            throw res.status === 401 ? await this.explainRefusal(error) : error;
        }
        return res;
    }
    /**
     * A 401 to a caller that sent credentials, when Harbor runs in OIDC mode. Harbor makes an OIDC user's CLI secret a
     * security context only on a whitelist (the token service, /v2/, POST /projects, GET /projects, /systeminfo,
     * /api/version, /labels, repository and artifact lists, tag deletion: src/server/middleware/security/oidc_cli.go
     * valid); elsewhere the request runs as anonymous and the API answers 401. Robot secrets (security/robot.go) and
     * password logins (security/basic_auth.go; in OIDC mode only the admin's, src/core/auth/authenticator.go Login) count
     * on every path. So when these credentials do authenticate on GET /systeminfo — whitelisted; only an authenticated
     * caller gets the protected fields such as `harbor_version` (src/server/v2.0/handler/systeminfo.go GetSystemInfo,
     * convertInfo; src/controller/systeminfo/controller.go GetInfo) — and Harbor's `auth_mode` (shown to every caller) is
     * `oidc_auth`, the refused credential is a user's CLI secret on a path outside the whitelist: the step needs a robot
     * account. Decided from status, auth mode and how Harbor treated the credential, never from message text or the name.
     */
    async explainRefusal(error) {
        if (!this.authorization)
            return error;
        const probe = await (this.authProbe ??= this.probeAuth());
        if (probe?.authMode !== 'oidc_auth' || !probe.authenticated)
            return error;
        const who = this.credentials.username ? `${this.credentials.username}'s` : "a user's";
        return error.with({
            advice: `Harbor is in OIDC mode, where ${who} CLI secret works only for the registry and a few API calls (not ${error.operation}); ` +
                `use a robot account for this step${this.account ? ` (what the step's account needs: ${this.account.replace(/\.$/, '')})` : ''}`,
        });
    }
    async probeAuth() {
        try {
            const res = await this.http.request({
                method: 'GET',
                url: `${this.apiBase}/systeminfo`,
                headers: { accept: 'application/json', authorization: this.authorization },
                // One attempt: without an answer the refusal stands as Harbor gave it.
                retry: false,
            });
            if (res.status !== 200 || (0,_http_client__WEBPACK_IMPORTED_MODULE_1__/* .answeredHtml */ .l9)(res))
                return undefined;
            const info = res.json();
            return {
                authMode: typeof info?.auth_mode === 'string' ? info.auth_mode : undefined,
                authenticated: typeof info?.harbor_version === 'string',
            };
        }
        catch {
            // No answer to the probe: the refusal stands as Harbor gave it.
            return undefined;
        }
    }
    /**
     * `harbor_version` from GET /systeminfo, which Harbor shows only to an authenticated caller (robots included:
     * src/server/v2.0/handler/systeminfo.go GetSystemInfo sets WithProtectedInfo for any sc.IsAuthenticated()).
     * Undefined when it is not shown or the API does not answer as Harbor (a plain registry, a proxy): callers decide
     * what is safe without it; a real refusal of the credentials surfaces at the next request that needs them.
     */
    async harborVersion() {
        try {
            const info = await this.json('GET', '/systeminfo', {
                what: "reading Harbor's version",
            });
            return typeof info?.harbor_version === 'string' ? info.harbor_version : undefined;
        }
        catch (error) {
            // A refusal, an HTML page or a body that is not JSON: no version. No answer at all is the step's failure.
            if (error instanceof _remote_error__WEBPACK_IMPORTED_MODULE_2__/* .RemoteError */ .Hi || error instanceof SyntaxError)
                return undefined;
            if (error instanceof _errors__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo && !(error instanceof _http_client__WEBPACK_IMPORTED_MODULE_1__/* .NetworkError */ .Dr) && !(error instanceof _http_client__WEBPACK_IMPORTED_MODULE_1__/* .BudgetExceededError */ .Zq)) {
                return undefined;
            }
            throw error;
        }
    }
    async json(method, path, options = {}) {
        const res = await this.call(method, path, options);
        return (res.body.length > 0 ? res.json() : undefined);
    }
    /** Every item of a paginated list, following pages until a short page (X-Total-Count when present). */
    async list(path, query = {}, what) {
        const items = [];
        for (let page = 1;; page++) {
            const res = await this.call('GET', path, { query: { ...query, page, page_size: PAGE_SIZE }, what });
            const batch = res.json() ?? [];
            items.push(...batch);
            const total = Number(res.headers['x-total-count']);
            if (batch.length < PAGE_SIZE || (Number.isFinite(total) && items.length >= total))
                return items;
        }
    }
    /** Harbor's answer as a RemoteError; the kind follows from status and Harbor's error code (src/lib/http/error.go). */
    errorFor(res, method, url, what) {
        const operation = what ?? `${method} ${new URL(url).pathname.replace(/^\/api\/v2\.0/, '')}`;
        return (0,_remote_error__WEBPACK_IMPORTED_MODULE_2__/* .remoteErrorFrom */ .ZR)(res, {
            service: 'Harbor',
            operation,
            account: this.credentials.username,
            endpoint: this.url,
        });
    }
}
/**
 * The `q` query that selects `key` equal to `value`, or undefined when Harbor's q cannot say it (the caller then
 * lists everything and picks the exact match itself). Harbor unescapes q once more after the framework decoded it,
 * splits it at every comma with no escape for one, reads a value starting with `~ [ { (` as a pattern and drops one
 * leading `\` from an exact value (src/lib/q/builder.go parseKeywords, parsePattern, escapeValue): so `%` and `+` are
 * escaped to survive the second unescape, a leading special character gets a `\`, and a value with a comma (or an
 * empty one) has no query. Registry endpoint and replication policy names are free text in Harbor.
 */
function exactQuery(key, value) {
    if (value === '' || value.includes(','))
        return undefined;
    const escaped = value.replace(/[%+]/g, (c) => encodeURIComponent(c));
    return `${key}=${/^[~[{(\\]/.test(escaped) ? '\\' : ''}${escaped}`;
}
/** Repository names containing `/` must be URL-encoded twice in Harbor paths (swagger: repository_name). */
function encodeRepository(name) {
    return encodeURIComponent(encodeURIComponent(name));
}


/***/ }),

/***/ 3020:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   NT: () => (/* binding */ openHarbor),
/* harmony export */   e$: () => (/* binding */ harborServiceConnection),
/* harmony export */   o6: () => (/* binding */ harborInputs)
/* harmony export */ });
/* unused harmony export harborSettings */
/* harmony import */ var _capability__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(5806);
/* harmony import */ var _inputs_definition__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(2381);
/* harmony import */ var _client__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(438);



/** The `account` sentence of each group, by its username spec, so `openHarbor` can name it in refusals. */
const ACCOUNTS = new WeakMap();
/**
 * The Harbor inputs every Harbor-facing step takes, declared once so the steps spell, describe and parse them alike
 * (shared/azure/inputs.ts does the same for Azure). On Azure DevOps the URL, account and insecure switch come from the
 * Harbor service connection.
 */
function harborInputs(options) {
    const prefix = options.prefix ?? '';
    const main = options.groups.main ? { group: options.groups.main } : {};
    const tls = options.groups.tls ? { group: options.groups.tls } : {};
    const required = options.required ? { required: true } : {};
    const shown = options.visibleRule ? { visibleRule: options.visibleRule } : {};
    const name = harborInputNames(prefix);
    const specs = {
        'harbor-url': {
            name: 'harbor-url',
            type: 'url',
            description: 'Harbor URL, e.g. `https://harbor.example.com`; `http://` only for a local Harbor.',
            connection: (0,_inputs_definition__WEBPACK_IMPORTED_MODULE_2__/* .harborConnection */ .H4)('url'),
            ...required,
            ...main,
        },
        [name.username]: {
            name: name.username,
            type: 'string',
            description: `${options.account} Robot accounts go by their full name (\`robot$project+ci\`).`,
            connection: (0,_inputs_definition__WEBPACK_IMPORTED_MODULE_2__/* .harborConnection */ .H4)('username'),
            ...required,
            ...main,
        },
        [name.password]: {
            name: name.password,
            type: 'secret',
            description: 'Password or robot secret of the account.',
            connection: (0,_inputs_definition__WEBPACK_IMPORTED_MODULE_2__/* .harborConnection */ .H4)('password'),
            ...required,
            ...main,
        },
        [name.insecure]: {
            name: name.insecure,
            type: 'boolean',
            default: 'false',
            description: `Skip TLS verification of Harbor's certificate (not recommended; prefer ${name.caFile}).`,
            connection: (0,_inputs_definition__WEBPACK_IMPORTED_MODULE_2__/* .harborConnection */ .H4)('insecure'),
            ...tls,
        },
        [name.caFile]: {
            name: name.caFile,
            type: 'path',
            description: "PEM file of the CA that signed Harbor's certificate.",
            ...tls,
            ...shown,
        },
    };
    ACCOUNTS.set(specs[name.username], options.account);
    return specs;
}
function harborInputNames(prefix) {
    return {
        url: 'harbor-url',
        username: `${prefix}username`,
        password: `${prefix}password`,
        insecure: `${prefix}insecure`,
        caFile: `${prefix}ca-file`,
    };
}
/** The ADO Harbor service connection input (`harborConnection`). */
function harborServiceConnection(description, options) {
    return { input: 'harborConnection', kind: 'harbor', label: 'Harbor service connection', description, ...options };
}
/** Reads the group's values out of a step's settings object (camelCase keys). */
function harborSettings(settings, prefix = '') {
    const values = settings;
    const name = harborInputNames(prefix);
    const get = (input) => values[(0,_inputs_definition__WEBPACK_IMPORTED_MODULE_2__/* .camelCase */ .xQ)(input)];
    return {
        url: get(name.url),
        username: get(name.username),
        password: get(name.password),
        insecure: get(name.insecure) ?? false,
        caFile: get(name.caFile),
    };
}
/**
 * Opens the Harbor client from a step's parsed settings: the CA file (named as the user spells its input), the insecure
 * switch, the runner's proxy and CA settings, and the step's time budget.
 */
function openHarbor(platform, inputs, settings, options = {}) {
    const { prefix = '', ...httpOptions } = options;
    const harbor = harborSettings(settings, prefix);
    const caFileSpec = inputs[harborInputNames(prefix).caFile];
    const usernameSpec = inputs[harborInputNames(prefix).username];
    const http = (0,_capability__WEBPACK_IMPORTED_MODULE_0__/* .httpClientFor */ .rL)(platform, {
        caFile: harbor.caFile ? (0,_capability__WEBPACK_IMPORTED_MODULE_0__/* .workspacePath */ .X5)(platform, harbor.caFile) : undefined,
        caFileInput: caFileSpec ? platform.inputName(caFileSpec) : undefined,
        insecure: harbor.insecure,
        tlsFix: harborTlsFix(platform, inputs, prefix),
        ...httpOptions,
    });
    return {
        harbor: new _client__WEBPACK_IMPORTED_MODULE_1__/* .HarborClient */ .OI(harbor.url, { username: harbor.username, password: harbor.password }, http, usernameSpec ? ACCOUNTS.get(usernameSpec) : undefined),
        http,
        close: () => http.close(),
    };
}
/**
 * What fixes a TLS verification failure of Harbor, in words that name the step's own Harbor inputs (as the platform
 * spells them), so the fix is one edit away. On Azure DevOps `insecure` is a setting of the service connection, not an
 * input. The Harbor client's HTTP layer says it for every request (HttpOptions.tlsFix); clients for ARM, Key Vault or a
 * replication endpoint have their own trust and keep the generic advice.
 */
function harborTlsFix(platform, inputs, prefix) {
    const names = harborInputNames(prefix);
    const caFile = platform.inputName(inputs[names.caFile]);
    const insecure = platform.inputName(inputs[names.insecure]);
    const insecureFix = platform.kind === 'azure-devops'
        ? `allow untrusted certificates on the ${insecure} service connection`
        : `${insecure} to true`;
    return `set ${caFile} to the PEM file of its CA, or ${insecureFix} (not recommended)`;
}


/***/ }),

/***/ 2183:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Zq: () => (/* binding */ BudgetExceededError),
  Qq: () => (/* binding */ HttpClient),
  Dr: () => (/* binding */ NetworkError),
  l9: () => (/* binding */ answeredHtml),
  aT: () => (/* binding */ remoteMessage)
});

// UNUSED EXPORTS: readAtMost, tlsConnectOptions

// EXTERNAL MODULE: ./shared/errors.ts
var errors = __nccwpck_require__(2635);
// EXTERNAL MODULE: ./shared/redact.ts
var redact = __nccwpck_require__(4781);
// EXTERNAL MODULE: ./shared/remote-error.ts
var remote_error = __nccwpck_require__(7993);
;// CONCATENATED MODULE: ./shared/http/retry.ts
const DEFAULT_RETRY = {
    attempts: 5,
    baseDelayMs: 500,
    maxDelayMs: 10_000,
    maxRetryAfterMs: 60_000,
    random: Math.random,
};
/** 5xx (except 501 Not Implemented, which will not change) and 429; never 401/403/404/422. */
function isRetryableStatus(status) {
    return status === 429 || (status >= 500 && status !== 501 && status !== 505);
}
/** Capped exponential backoff with full jitter: a random delay in [base, min(cap, base·2^(attempt-1))]. */
function backoffDelay(attempt, policy) {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(policy.baseDelayMs + policy.random() * Math.max(0, ceiling - policy.baseDelayMs));
}
/** Retry-After as seconds or an HTTP date → milliseconds, capped; undefined when absent or unparseable. */
function retryAfterMs(header, cap, now = Date.now) {
    if (!header)
        return undefined;
    const value = header.trim();
    let ms;
    if (/^\d+$/.test(value))
        ms = Number(value) * 1000;
    else {
        const date = Date.parse(value);
        if (Number.isNaN(date))
            return undefined;
        ms = Math.max(0, date - now());
    }
    return Math.min(ms, cap);
}

;// CONCATENATED MODULE: ./shared/http/transport.ts
// Node's HTTP modules load with the first request, not on import: this module is part of every step's start (through
// the step context), and a step stopped by its inputs sends nothing (bench/startup).
// Each is required once and kept: a request that starts after a test's module registry was torn down still finds it.
/* eslint-disable @typescript-eslint/no-require-imports */
const http = once(() => __nccwpck_require__(7067));
const https = once(() => __nccwpck_require__(4708));
const stream = once(() => __nccwpck_require__(7075));
/* eslint-enable @typescript-eslint/no-require-imports */
function once(load) {
    let value;
    return () => (value ??= load());
}
/**
 * A limit of the transport ran out. `code` is what callers branch on (network-errors.ts): the connection did not open,
 * the server sent no answer, or the answer's body stopped, each for `ms` of silence.
 */
class TransportTimeoutError extends Error {
    code;
    ms;
    constructor(code, ms) {
        super(`${code} after ${ms} ms`);
        this.code = code;
        this.ms = ms;
        this.name = 'TransportTimeoutError';
    }
}
/** The connection to the proxy itself failed (refused, timed out, its certificate not trusted): `cause` says how. */
class ProxyConnectError extends Error {
    proxyUrl;
    constructor(proxyUrl, cause) {
        super('cannot reach the proxy', { cause });
        this.proxyUrl = proxyUrl;
        this.name = 'ProxyConnectError';
    }
}
/** The proxy answered its CONNECT with something else than 200: `status` says what (407: its credentials). */
class ProxyTunnelError extends Error {
    status;
    code = 'ERR_PROXY_TUNNEL';
    constructor(status) {
        super(`the proxy answered ${status} to CONNECT`);
        this.status = status;
        this.name = 'ProxyTunnelError';
    }
}
/** How long a kept connection may sit unused before the client closes it (undici's default keep-alive timeout). */
const IDLE_MS = 4_000;
/**
 * Requests over Node's own `http` and `https`: pooled keep-alive connections per origin, the runner's proxy by CONNECT
 * tunnel, a connect limit, a silence limit per request (reset by every byte sent or received), and an abort signal.
 * Node's HTTP parser is native; undici's (llhttp in WebAssembly) cost a push ~50 ms to load and, on Node 24, a TurboFan
 * compile that the process waited for at exit (bench/push/RESULTS.md).
 */
class Transport {
    options;
    agents = new Map();
    closed = false;
    constructor(options) {
        this.options = options;
    }
    send(request) {
        const { method, url, headers, body, timeoutMs, signal, proxied } = request;
        return new Promise((resolve, reject) => {
            /** Refuses before anything is sent; a streamed body made for this attempt is closed (a file's descriptor). */
            const refuse = (error) => {
                abandon(body);
                reject(error);
            };
            if (url.protocol !== 'http:' && url.protocol !== 'https:')
                return refuse(Object.assign(new Error(`unsupported protocol ${url.protocol}`), { code: 'ERR_INVALID_PROTOCOL' }));
            if (signal?.aborted)
                return refuse(signal.reason);
            // Requests still starting after the step's client was closed (parallel work of a step that already failed) are
            // not sent: nothing is written remotely after the step has stopped.
            if (this.closed)
                return refuse(Object.assign(new Error('the client is closed'), { code: 'ERR_CLIENT_CLOSED' }));
            let response;
            let req;
            /** Ends the exchange with `error`: the request before its answer came, else the answer (and a body being sent). */
            const fail = (error) => {
                if (!response) {
                    // Settled here, not when Node emits the error: a request still waiting for its connection (a proxy's tunnel)
                    // only stores the error until the connection settles, which can take the whole connect limit.
                    reject(error);
                    return void req?.destroy(error);
                }
                response.destroy(error);
                if (!req.writableFinished)
                    req.destroy();
            };
            const onAbort = () => fail(signal.reason);
            try {
                req = (url.protocol === 'https:' ? https() : http()).request({
                    method,
                    hostname: bare(url.hostname),
                    port: url.port || undefined,
                    path: `${url.pathname}${url.search}`,
                    headers,
                    agent: this.agent(url.protocol, proxied),
                });
            }
            catch (error) {
                // Node checks the method and the header names and values before anything is sent (ERR_INVALID_CHAR, …).
                return refuse(error);
            }
            signal?.addEventListener('abort', onAbort, { once: true });
            req.once('socket', (socket) => {
                if (!socket.connecting)
                    return;
                // The agent's idle limit (IDLE_MS) is on a new socket from its creation (net.connect's `timeout`); the connect
                // limit below governs until it is open, and then the request's own limit (req.setTimeout applies at 'connect').
                socket.setTimeout(0);
                const timer = setTimeout(() => socket.destroy(new TransportTimeoutError('ERR_CONNECT_TIMEOUT', this.options.connectTimeoutMs)), this.options.connectTimeoutMs);
                const clear = () => clearTimeout(timer);
                socket.once('connect', clear).once('close', clear);
            });
            req.setTimeout(timeoutMs, () => fail(new TransportTimeoutError(response ? 'ERR_BODY_TIMEOUT' : 'ERR_HEADERS_TIMEOUT', timeoutMs)));
            req.on('error', (error) => {
                // After the answer came, its body reports what went wrong with the connection.
                if (!response) {
                    signal?.removeEventListener('abort', onAbort);
                    reject(error);
                }
            });
            req.once('response', (res) => {
                response = res;
                // A body the caller abandons must not throw from an event nobody listens to; readers still get its errors.
                res.on('error', () => undefined);
                res.once('close', () => signal?.removeEventListener('abort', onAbort));
                // An answer that came before the body was all sent (a refusal) ends the upload once it is read: the server is
                // done with this request, whether it still reads the rest or stops reading without closing.
                res.once('end', () => {
                    if (!req.writableFinished)
                        req.destroy();
                });
                resolve({ status: res.statusCode, headers: joinHeaders(res.headersDistinct), body: res });
            });
            if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
                req.end(body);
                return;
            }
            const declared = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
            send(body, req, declared).catch((error) => {
                // After an answer, the answer is what counts (its end closes the unfinished request, above).
                if (!response)
                    req.destroy(error);
            });
        });
    }
    /** Reads a body to its end, for answers that are not kept (a retried status). */
    static async discard(body) {
        body.resume();
        await stream()
            .promises.finished(body)
            .catch(() => undefined);
    }
    /** Closes every connection, idle or not. */
    close() {
        this.closed = true;
        for (const agent of this.agents.values())
            agent.destroy();
        this.agents.clear();
    }
    agent(protocol, proxied) {
        const key = `${protocol}${proxied ? 'proxied' : ''}`;
        let agent = this.agents.get(key);
        if (!agent) {
            const options = { keepAlive: true, timeout: IDLE_MS, scheduling: 'lifo' };
            if (protocol === 'http:')
                agent = proxied ? new (tunnelling(http().Agent, this.options, false))(options) : new (http().Agent)(options);
            else {
                const secure = { ...options, ...this.options.tls };
                agent = proxied ? new (tunnelling(https().Agent, this.options, true))(secure) : new (https().Agent)(secure);
            }
            this.agents.set(key, agent);
        }
        return agent;
    }
}
/**
 * An agent whose connections are tunnels through the proxy (CONNECT host:port, RFC 9110 §9.3.6), as undici's
 * ProxyAgent and curl open them; for an HTTPS target, TLS runs inside the tunnel with the client's own trust.
 */
function tunnelling(Base, options, secure) {
    const base = Base.prototype;
    return class extends Base {
        // Node's Agent takes a connection from this callback when none is returned (lib/_http_agent.js createSocket).
        createConnection(target, callback) {
            openTunnel(options, target.host, Number(target.port)).then((socket) => {
                if (!secure)
                    return callback(null, socket);
                let tlsSocket;
                try {
                    // https.Agent's own createConnection (its TLS session cache included) over the tunnel's socket.
                    tlsSocket = base.createConnection.call(this, { ...target, socket });
                }
                catch (error) {
                    socket.destroy();
                    return callback(error, undefined);
                }
                callback(null, tlsSocket);
            }, (error) => callback(error, undefined));
            return undefined;
        }
    };
}
function openTunnel(options, host, port) {
    const proxy = new URL(options.proxy.url);
    const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    return new Promise((resolve, reject) => {
        const secure = proxy.protocol === 'https:';
        const connect = (secure ? https() : http()).request({
            method: 'CONNECT',
            hostname: bare(proxy.hostname),
            port: proxy.port || (secure ? 443 : 80),
            path: authority,
            headers: {
                host: authority,
                ...(options.proxy.authorization ? { 'proxy-authorization': options.proxy.authorization } : {}),
            },
            agent: false,
            ...(secure ? options.tls : {}),
        });
        const timer = setTimeout(() => connect.destroy(new TransportTimeoutError('ERR_CONNECT_TIMEOUT', options.connectTimeoutMs)), options.connectTimeoutMs);
        // Node delivers every answer to a CONNECT here, whatever its status (lib/_http_client.js parserOnIncomingClient).
        connect.once('connect', (res, socket, head) => {
            clearTimeout(timer);
            if (res.statusCode !== 200) {
                socket.destroy();
                reject(new ProxyTunnelError(res.statusCode ?? 0));
                return;
            }
            if (head.length > 0)
                socket.unshift(head);
            resolve(socket);
        });
        connect.on('error', (error) => {
            clearTimeout(timer);
            reject(new ProxyConnectError(options.proxy.url, error));
        });
        connect.end();
    });
}
/**
 * Writes a streamed body as the connection takes it. A declared length is held to: a stream that runs long or ends
 * short fails the request instead of leaving the server waiting for bytes that never come. (Node's own check,
 * `strictContentLength`, throws from inside `end()`, which a pipeline does not catch.)
 */
async function send(body, req, declared) {
    let sent = 0;
    for await (const chunk of body) {
        sent += chunk.length;
        if (declared !== undefined && sent > declared)
            throw new ContentLengthError(declared, sent);
        if (req.destroyed)
            return;
        if (!req.write(chunk))
            await drained(req);
    }
    if (declared !== undefined && sent !== declared)
        throw new ContentLengthError(declared, sent);
    req.end();
}
/** The body's source gave more or fewer bytes than its declared length (a file that changed while it was read). */
class ContentLengthError extends Error {
    declared;
    sent;
    code = 'ERR_HTTP_CONTENT_LENGTH_MISMATCH';
    constructor(declared, sent) {
        super(`the body had ${sent > declared ? 'more than ' : ''}${sent} bytes where its content-length said ${declared}`);
        this.declared = declared;
        this.sent = sent;
        this.name = 'ContentLengthError';
    }
}
function drained(req) {
    return new Promise((resolve, reject) => {
        const done = () => {
            req.off('drain', done).off('close', closed);
            resolve();
        };
        const closed = () => {
            req.off('drain', done).off('close', closed);
            reject(new Error('the connection closed while the body was sent'));
        };
        req.on('drain', done).on('close', closed);
    });
}
/** Closes a streamed body that will not be sent. */
function abandon(body) {
    if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body))
        return;
    if (typeof body.destroy === 'function')
        body.destroy();
    else
        void body[Symbol.asyncIterator]().return?.();
}
/** URL.hostname keeps an IPv6 address's brackets; Node's request options take the address without them. */
function bare(hostname) {
    return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
}
function joinHeaders(headers) {
    const out = {};
    for (const [name, values] of Object.entries(headers))
        if (values)
            out[name] = values.join(', ');
    return out;
}

;// CONCATENATED MODULE: ./shared/http/network-errors.ts


/**
 * Classifies low-level errors (node:net, node:tls, node:http, the transport's own) into retryable or not, and one
 * readable cause.
 */
const RETRYABLE_CODES = new Set([
    'ECONNRESET',
    'EPIPE',
    'ETIMEDOUT',
    'ECONNABORTED',
    'EAI_AGAIN',
    // shared/http/transport.ts: a connection that did not open, an answer that did not come or stopped coming.
    'ERR_CONNECT_TIMEOUT',
    'ERR_HEADERS_TIMEOUT',
    'ERR_BODY_TIMEOUT',
]);
const TLS_CODES = new Set([
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'CERT_HAS_EXPIRED',
    'CERT_NOT_YET_VALID',
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'ERR_SSL_WRONG_VERSION_NUMBER',
]);
function errorCode(error) {
    // The first code on the error or its causes (a wrapped socket error says more than its wrapper).
    let current = error;
    for (let depth = 0; current && depth < 5; depth++) {
        const code = current.code;
        if (typeof code === 'string')
            return code;
        current = current.cause;
    }
    return undefined;
}
/** Refused connections and unknown hosts fail fast: retrying them only delays the one line the user needs. */
function isRetryableNetworkError(error) {
    const code = errorCode(error);
    return code !== undefined && RETRYABLE_CODES.has(code);
}
function isTlsError(error) {
    const code = errorCode(error);
    return code !== undefined && TLS_CODES.has(code);
}
/** The connection that failed was the one to the proxy, not through it (ProxyConnectError). */
function proxyConnectFailure(error) {
    return error instanceof ProxyConnectError ? error : undefined;
}
/** One readable cause for a request to url, saying whether it went through the proxy or could not reach it. */
function describeFailure(error, url, proxy) {
    const unreachable = proxyConnectFailure(error);
    if (unreachable)
        return `cannot use the proxy ${(0,redact/* redactUrl */.BO)(unreachable.proxyUrl)}: ${describeNetworkError(unreachable.cause, unreachable.proxyUrl)}`;
    return `${describeNetworkError(error, url)}${proxy ? ` (through the proxy ${(0,redact/* redactUrl */.BO)(proxy)})` : ''}`;
}
function describeNetworkError(error, url) {
    const { hostname, port, protocol } = new URL(url);
    const hostPort = `${hostname}:${port || (protocol === 'https:' ? '443' : '80')}`;
    const code = errorCode(error);
    if (isTlsError(error)) {
        return `TLS verification of ${hostPort} failed (${code}); trust its CA with the CA file input, or set insecure to true (not recommended)`;
    }
    switch (code) {
        case 'ECONNREFUSED':
            return `cannot connect to ${hostPort} (connection refused)`;
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return `cannot resolve host ${hostname} (${code})`;
        case 'ERR_CONNECT_TIMEOUT':
        case 'ETIMEDOUT':
            return `connection to ${hostPort} timed out`;
        case 'ERR_HEADERS_TIMEOUT':
            return `${hostPort} sent no answer for ${formatDelay(error.ms)}`;
        case 'ERR_BODY_TIMEOUT':
            return `${hostPort} stopped sending its answer for ${formatDelay(error.ms)}`;
        case 'ERR_PROXY_TUNNEL': {
            const { status } = error;
            const why = status === 407 ? ': check the proxy credentials' : status === 403 ? ': the proxy does not allow it' : '';
            return `the proxy refused a tunnel to ${hostPort} (it answered ${status}${why})`;
        }
        case 'ERR_CLIENT_CLOSED':
            return `not sent to ${hostPort}: the step had already stopped its remote work`;
        case 'ERR_HTTP_CONTENT_LENGTH_MISMATCH':
            return `${error.message} (did the file change while it was sent?)`;
        default:
            return `network error talking to ${hostPort} (${code ?? (error instanceof Error ? error.message : String(error))})`;
    }
}
/** A wait or a limit as the step's lines say it: 300 ms, 1.5 s, 2 min. */
function formatDelay(ms) {
    if (ms < 1000)
        return `${ms} ms`;
    if (ms < 120_000)
        return `${Math.round(ms / 100) / 10} s`;
    return `${Math.round(ms / 6000) / 10} min`;
}

// EXTERNAL MODULE: ./shared/util/basic-auth.ts
var basic_auth = __nccwpck_require__(7740);
// EXTERNAL MODULE: ./shared/util/clock.ts
var clock = __nccwpck_require__(5977);
;// CONCATENATED MODULE: ./shared/http/client.ts








/** No answer at all (DNS, connect, TLS, reset, timeout): the host it was for and the low-level cause, for callers to branch on. */
class NetworkError extends errors/* UserError */.yo {
    host;
    constructor(message, host, cause) {
        super(message, { cause });
        this.host = host;
        this.name = 'NetworkError';
    }
}
/** The step's `timeout` ran out before or during a request. */
class BudgetExceededError extends errors/* UserError */.yo {
    constructor(message) {
        super(message);
        this.name = 'BudgetExceededError';
    }
}
/** The per-request limit for clean-up calls made after the budget ran out. */
const OUTSIDE_BUDGET_MS = 10_000;
/**
 * The one HTTP layer for every remote call: TLS verification on by default, an extra CA file, an insecure switch that
 * warns, the runner's proxy (with NO_PROXY), per-request timeouts, retries only for what can succeed on retry, and
 * credentials redacted from everything it reports.
 */
class HttpClient {
    options;
    /** Built on the first request: Node's HTTP modules are loaded then (a step stopped by its inputs never loads them). */
    transport;
    transportOptions;
    noProxy;
    bypassPatterns;
    retryPolicy;
    sleep;
    /** Keeps its settings only: no file is read and nothing is logged here (that happens where settings are parsed). */
    constructor(options = {}) {
        this.options = options;
        const network = options.network ?? { noProxy: [], caFiles: [] };
        const tls = {};
        if (options.ca)
            tls.ca = options.ca;
        if (options.insecure)
            tls.rejectUnauthorized = false;
        const timeout = options.timeoutMs ?? 60_000;
        this.transportOptions = { tls, connectTimeoutMs: Math.min(timeout, 30_000) };
        if (network.proxyUrl) {
            const authorization = network.proxyUsername !== undefined ? (0,basic_auth/* basicAuth */.t)(network.proxyUsername, network.proxyPassword) : undefined;
            this.transportOptions.proxy = { url: network.proxyUrl, authorization };
        }
        this.noProxy = network.noProxy.map((h) => h.trim().toLowerCase()).filter(Boolean);
        this.bypassPatterns = (network.bypassPatterns ?? []).map((p) => new RegExp(p, 'i'));
        this.retryPolicy = { ...DEFAULT_RETRY, ...options.retry };
        this.sleep = options.sleep ?? clock/* sleep */.yy;
        this.now = options.now ?? Date.now;
        this.deadline = options.budget ? this.now() + options.budget.ms : undefined;
    }
    now;
    deadline;
    connections() {
        this.transport ??= new Transport({
            ...this.transportOptions,
            tls: tlsConnectOptions(this.transportOptions.tls),
        });
        return this.transport;
    }
    /** Milliseconds left of the step's budget (Infinity without one). */
    remainingMs() {
        return this.deadline === undefined ? Infinity : Math.max(0, this.deadline - this.now());
    }
    /**
     * For waits of the client's callers (a pusher's backoff between upload attempts): refuses one that would end past the
     * budget with the budget's own message, instead of sleeping into a request that can no longer be made.
     */
    checkWait(delayMs, what) {
        if (delayMs >= this.remainingMs())
            throw this.budgetError(what);
    }
    /**
     * A hard stop at the end of the budget for one attempt: the per-request limits are silence limits (the transport
     * restarts them whenever a byte moves), so only this bounds a request that keeps trickling. `done` must be called
     * once the attempt's answer is read (or its stream closed).
     */
    budgetSignal(method, safeUrl) {
        if (this.deadline === undefined)
            return { done: () => undefined };
        const controller = new AbortController();
        // The same words as a request cut by its per-request limit at the deadline: which timer fires first is a race.
        const timer = setTimeout(() => controller.abort(this.budgetError(`waiting for ${method} ${safeUrl}`)), this.remainingMs());
        // A request in flight keeps the process alive by its socket; the timer alone must not (an abandoned stream).
        timer.unref();
        return { signal: controller.signal, done: () => clearTimeout(timer) };
    }
    budgetError(what) {
        const budget = this.options.budget;
        return new BudgetExceededError(`'${budget.input}' (${formatDelay(budget.ms)}) ran out ${what}; raise '${budget.input}' if the server is just slow`);
    }
    async request(req) {
        const safeUrl = (0,redact/* redactUrl */.BO)(req.url);
        const headers = {
            'user-agent': this.options.userAgent ?? 'harbor-pipelines',
            ...req.headers,
        };
        let body = req.body;
        if (req.json !== undefined) {
            body = JSON.stringify(req.json);
            headers['content-type'] ??= 'application/json';
        }
        const attempts = req.retry === false || req.outsideBudget ? 1 : this.retryPolicy.attempts;
        const configured = req.timeoutMs ?? this.options.timeoutMs ?? 60_000;
        const via = this.proxyFor(req.url);
        const url = new URL(req.url);
        const transport = this.connections();
        for (let attempt = 1;; attempt++) {
            const remaining = req.outsideBudget ? OUTSIDE_BUDGET_MS : this.remainingMs();
            if (remaining <= 0)
                throw this.budgetError(`before ${req.method} ${safeUrl}`);
            const limit = Math.min(configured, remaining);
            const cut = req.outsideBudget ? { done: () => undefined } : this.budgetSignal(req.method, safeUrl);
            let res;
            let buffer;
            try {
                res = await transport.send({
                    method: req.method,
                    url,
                    headers,
                    body: typeof body === 'function' ? body() : body,
                    timeoutMs: limit,
                    signal: cut.signal,
                    proxied: via !== undefined,
                });
                if (!req.stream && !(attempt < attempts && isRetryableStatus(res.status)))
                    buffer = await readAll(res.body);
            }
            catch (error) {
                cut.done();
                if (error instanceof BudgetExceededError)
                    throw error;
                const reason = describeFailure(error, req.url, via);
                if (limit < configured && this.remainingMs() <= 0 && !req.outsideBudget)
                    throw this.budgetError(`waiting for ${req.method} ${safeUrl} (${reason})`);
                if (attempt < attempts && isRetryableNetworkError(error)) {
                    await this.waitToRetry(req.method, safeUrl, reason, attempt, attempts, backoffDelay(attempt, this.retryPolicy));
                    continue;
                }
                const host = url.host;
                if (this.options.tlsFix && isTlsError(error)) {
                    // The step's trust serves the proxy's own TLS too: name whichever certificate failed.
                    const unreachable = proxyConnectFailure(error);
                    const failed = unreachable ? `the proxy ${new URL(unreachable.proxyUrl).host}` : host;
                    throw new NetworkError(`TLS verification of ${failed} failed (${errorCode(error)}); ${this.options.tlsFix}`, host, error);
                }
                throw new NetworkError(`${req.method} ${safeUrl} failed: ${reason}`, host, error);
            }
            if (attempt < attempts && isRetryableStatus(res.status)) {
                await Transport.discard(res.body);
                cut.done();
                const hinted = retryAfterMs(res.headers['retry-after'], this.retryPolicy.maxRetryAfterMs);
                await this.waitToRetry(req.method, safeUrl, `answered ${res.status}`, attempt, attempts, hinted ?? backoffDelay(attempt, this.retryPolicy));
                continue;
            }
            if (buffer === undefined) {
                // The budget keeps its hold on the stream until the caller has read it.
                res.body.once('close', cut.done);
                return makeResponse(res.status, res.headers, Buffer.alloc(0), req.url, res.body);
            }
            cut.done();
            return makeResponse(res.status, res.headers, buffer, req.url);
        }
    }
    /** The same client for clean-up after the budget ran out: each request gets one short attempt of its own. */
    forCleanup() {
        const view = Object.create(this);
        view.request = (req) => this.request({ ...req, outsideBudget: true });
        return view;
    }
    /** One log line per retry: what failed, which attempt comes next, and how long the step waits for it. */
    async waitToRetry(method, safeUrl, reason, attempt, attempts, delay) {
        this.checkWait(delay, `while ${method} ${safeUrl} ${reason.startsWith('answered') ? reason : `failed (${reason})`}`);
        const line = `${method} ${safeUrl} ${reason.startsWith('answered') ? reason : `failed: ${reason}`}; waiting ${formatDelay(delay)} for attempt ${attempt + 1} of ${attempts}`;
        (this.options.info ?? this.options.debug)?.(line);
        await this.sleep(delay);
    }
    /** Closes every connection; a request made after this is not sent (it fails as ERR_CLIENT_CLOSED). */
    async close() {
        this.connections().close();
    }
    /** The proxy a request to url goes through, or undefined when it goes direct. */
    proxyFor(url) {
        if (!this.transportOptions.proxy)
            return undefined;
        if (this.bypassPatterns.some((pattern) => pattern.test(url)))
            return undefined;
        const { hostname, port } = new URL(url);
        const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
        const bypass = this.noProxy.some((entry) => {
            if (entry === '*')
                return true;
            const [name, entryPort] = entry.split(':');
            if (entryPort && entryPort !== port)
                return false;
            const suffix = name.startsWith('.') ? name : `.${name}`;
            return host === name.replace(/^\./, '') || host.endsWith(suffix);
        });
        return bypass ? undefined : this.options.network.proxyUrl;
    }
}
/**
 * TLS options for every connection of a client. With a CA list (a CA file, the runner's CA files) Node would build a
 * secure context from it for each connection — parsing the ~140 system roots plus the extra CA again every time, some
 * 50 ms of CPU per connection, more than sending a 50 MiB layer. One context built here serves them all.
 */
function tlsConnectOptions(tls) {
    if (!tls.ca)
        return tls;
    const { ca, ...rest } = tls;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return { ...rest, secureContext: (__nccwpck_require__(1692).createSecureContext)({ ca }) };
}
/** A body read to its end; an error of the connection on the way is the request's (retried when it may be). */
async function readAll(body) {
    const chunks = [];
    for await (const chunk of body)
        chunks.push(chunk);
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}
/**
 * A streamed body read to its end when it holds at most `limit` bytes; undefined, and the stream destroyed, as soon as
 * it holds more (a body that never ends is not held in memory whole).
 */
async function readAtMost(stream, limit) {
    const chunks = [];
    let total = 0;
    for await (const chunk of stream) {
        total += chunk.length;
        if (total > limit) {
            stream.destroy();
            return undefined;
        }
        chunks.push(chunk);
    }
    return Buffer.concat(chunks);
}
function makeResponse(status, headers, body, url, stream) {
    return {
        status,
        headers,
        body,
        stream,
        url,
        text: () => body.toString('utf8'),
        json: () => JSON.parse(body.toString('utf8')),
    };
}
/**
 * An answer that is a web page, not an API's: a login page, a proxy's portal, a UI served at the API URL. Such servers
 * often say 200 to everything, so a status alone would read as success ("project exists", "already present").
 */
function answeredHtml(res) {
    if (/\btext\/html\b/i.test(res.headers['content-type'] ?? ''))
        return true;
    const start = res.body.subarray(0, 64).toString('utf8').trimStart().toLowerCase();
    return start.startsWith('<!doctype html') || start.startsWith('<html');
}
/** The remote code and message of an error answer as one short redacted string, for lines that quote it. */
function remoteMessage(res) {
    const { code, message } = (0,remote_error/* parseRemoteBody */._z)(res.body);
    return [code, message].filter(Boolean).join(': ');
}


/***/ }),

/***/ 2381:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   H4: () => (/* binding */ harborConnection),
/* harmony export */   am: () => (/* binding */ defineCapability),
/* harmony export */   xQ: () => (/* binding */ camelCase)
/* harmony export */ });
/**
 * One definition per capability: inputs and outputs are declared once, and task.json, action.yml, the docs tables and
 * the typed settings object are all derived from it.
 */
/** Identity function that keeps the literal types of the inputs, so settings are typed. */
function defineCapability(definition) {
    return definition;
}
function camelCase(name) {
    return name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
}
/** An input read from the step's Harbor service connection on Azure DevOps (and a plain input on GitHub). */
function harborConnection(field) {
    return { kind: 'harbor', input: 'harborConnection', field };
}


/***/ }),

/***/ 3841:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   E9: () => (/* binding */ parseDuration),
/* harmony export */   sb: () => (/* binding */ readSettings)
/* harmony export */ });
/* unused harmony exports parseValue, parseBoolean, parseChoice, parseInteger, parseSize, parseUrl */
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(2635);
/* harmony import */ var _redact__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(4781);
/* harmony import */ var _definition__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(2381);



/**
 * Reads every input of a capability in one place and returns the typed settings object. Parsing is strict and the
 * same on both platforms: booleans accept only true/false (GitHub's rule, not task-lib's silent false), a choice names
 * the accepted values, and every error names the input as the user spells it. The definition's `check` (rules between
 * inputs) runs last, so those errors too come before a step's run module loads.
 */
function readSettings(definition, platform) {
    const settings = {};
    for (const spec of Object.values(definition.inputs)) {
        if (spec.platforms && platform.kind !== 'local' && !spec.platforms.includes(platform.kind))
            continue;
        const raw = platform.getInput(spec);
        if (raw !== undefined && spec.type === 'secret') {
            platform.setSecret(raw);
            // What the step uses: without a secret file's trailing line break (a runner may mask only the exact value).
            const used = raw.replace(/[\r\n]+$/, '');
            if (used !== raw && used !== '')
                platform.setSecret(used);
        }
        // A URL with credentials inside is refused below; its userinfo is masked first so no later line can show it.
        if (raw !== undefined && spec.type === 'url')
            for (const part of (0,_redact__WEBPACK_IMPORTED_MODULE_1__/* .urlCredentials */ .O4)(raw))
                platform.setSecret(part);
        const label = platform.inputName(spec);
        const text = raw ?? spec.default;
        if (text === undefined || text === '') {
            if (spec.required)
                throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input required and not supplied: ${label}`);
            continue;
        }
        settings[(0,_definition__WEBPACK_IMPORTED_MODULE_2__/* .camelCase */ .xQ)(spec.name)] = parseValue(spec, text, label);
    }
    definition.check?.(settings, (key) => platform.inputName(definition.inputs[key]));
    return settings;
}
function parseValue(spec, text, label) {
    switch (spec.type) {
        case 'string':
        case 'path': {
            const value = text.trim();
            if (/[\r\n]/.test(value))
                throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input '${label}' must be a single line`);
            return value;
        }
        case 'multiline':
            return text;
        case 'secret':
            // A password never spans lines; it is usually a secret file's trailing newline or two values pasted together.
            // (Azure Pipelines cannot even mask one: task-lib refuses multi-line secrets.)
            if (/[\r\n]/.test(text.replace(/[\r\n]+$/, '')))
                throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input '${label}' must be a single line: a secret that spans lines cannot be masked reliably in the log`);
            return text.replace(/[\r\n]+$/, '');
        case 'boolean':
            return parseBoolean(text, label);
        case 'choice':
            return parseChoice(text, spec.options ?? [], label);
        case 'list': {
            // A comma/newline list has no comments: `#v1` is a value (and an invalid tag), not a line to drop.
            const items = splitList(text, /[\n,]/, false);
            if (items.length === 0)
                throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input '${label}' holds no values (got '${text.trim()}')`);
            return items;
        }
        case 'lines':
            return splitList(text, /\n/, true);
        case 'integer':
            return parseInteger(text, label, spec.min, spec.max);
        case 'duration': {
            // Every duration input is a limit; 0 would not mean "no limit" but "fail at once" in one place and "wait
            // forever" in another, so it is refused.
            const ms = parseDuration(text, label);
            if (ms <= 0)
                throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input '${label}' must be longer than 0 (got '${text.trim()}'); give a limit like 90s or 10m`);
            return ms;
        }
        case 'size':
            return parseSize(text, label);
        case 'url':
            return parseUrl(text, label, spec.schemes ?? ['http', 'https']);
    }
}
function parseBoolean(text, label) {
    const value = text.trim().toLowerCase();
    if (value === 'true')
        return true;
    if (value === 'false')
        return false;
    throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input '${label}' must be true or false (got '${text.trim()}')`);
}
function parseChoice(text, options, label) {
    const value = text.trim();
    const match = options.find((o) => o.toLowerCase() === value.toLowerCase());
    if (match === undefined) {
        throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input '${label}' must be one of ${options.join(', ')} (got '${value}')`);
    }
    return match;
}
function splitList(text, separator, comments) {
    return text
        .split(separator)
        .map((s) => s.trim())
        .filter((s) => s !== '' && !(comments && s.startsWith('#')));
}
function parseInteger(text, label, min, max) {
    const value = text.trim();
    if (!/^-?\d+$/.test(value))
        throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input '${label}' must be a whole number (got '${value}')`);
    const n = Number(value);
    if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
        const range = [min !== undefined ? `>= ${min}` : '', max !== undefined ? `<= ${max}` : '']
            .filter(Boolean)
            .join(' and ');
        throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input '${label}' must be ${range} (got ${n})`);
    }
    return n;
}
const DURATION_UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** `90` (seconds), `30s`, `5m`, `1h30m`, `2d`, `250ms` → milliseconds. */
function parseDuration(text, label) {
    const value = text.trim().toLowerCase();
    if (/^\d+$/.test(value))
        return Number(value) * 1000;
    const parts = [...value.matchAll(/(\d+)(ms|s|m|h|d)/g)];
    if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) {
        throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input '${label}' must be a duration like 90s, 5m, 1h30m or 2d (got '${text.trim()}')`);
    }
    return parts.reduce((sum, p) => sum + Number(p[1]) * DURATION_UNITS[p[2]], 0);
}
const SIZE_UNITS = {
    b: 1,
    kb: 1e3,
    mb: 1e6,
    gb: 1e9,
    kib: 1024,
    mib: 1024 ** 2,
    gib: 1024 ** 3,
    k: 1024,
    m: 1024 ** 2,
    g: 1024 ** 3,
};
/** `1048576`, `512KiB`, `10MB`, `1GiB`, `16m` → bytes. */
function parseSize(text, label) {
    const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
    const unit = match ? (match[2] || 'b').toLowerCase() : '';
    if (!match || SIZE_UNITS[unit] === undefined) {
        throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input '${label}' must be a size like 512KiB, 10MB or 1GiB (got '${text.trim()}')`);
    }
    return Math.round(Number(match[1]) * SIZE_UNITS[unit]);
}
function parseUrl(text, label, schemes) {
    const value = text.trim();
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input '${label}' must be an absolute URL like ${schemes[0]}://host[:port] (got '${value}')`);
    }
    const scheme = url.protocol.replace(/:$/, '');
    if (!schemes.includes(scheme)) {
        throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input '${label}' must use ${schemes.map((s) => `${s}://`).join(' or ')} (got '${scheme}://')`);
    }
    if (url.username || url.password) {
        throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input '${label}' must not contain credentials; use the username and password inputs`);
    }
    return value.replace(/\/+$/, '');
}


/***/ }),

/***/ 4781:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   BO: () => (/* binding */ redactUrl),
/* harmony export */   O4: () => (/* binding */ urlCredentials),
/* harmony export */   Rd: () => (/* binding */ redactText)
/* harmony export */ });
/* unused harmony export redactHeaders */
/** Removes credentials from what we print: URLs, headers and free text. */
const SENSITIVE_QUERY = /^(sig|signature|token|access_token|refresh_token|password|passwd|secret|client_secret|code|key|sv|se)$/i;
const SENSITIVE_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|x-harbor-csrf-token|x-ms-authorization-auxiliary)$/i;
function redactUrl(input) {
    let url;
    try {
        url = new URL(String(input));
    }
    catch {
        return redactText(String(input));
    }
    if (url.username)
        url.username = '***';
    if (url.password)
        url.password = '***';
    for (const key of [...url.searchParams.keys()]) {
        if (SENSITIVE_QUERY.test(key))
            url.searchParams.set(key, '***');
    }
    return url.toString();
}
function redactHeaders(headers) {
    const out = {};
    for (const [name, value] of Object.entries(headers))
        out[name] = SENSITIVE_HEADER.test(name) ? '***' : value;
    return out;
}
/** Strips `user:pass@` from URLs and bearer/basic credentials from text such as remote error bodies. */
function redactText(text) {
    return text
        .replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s:]+(:[^/@\s]*)?@/gi, '$1***@')
        .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 ***');
}
/**
 * The credentials written into a URL (`https://robot:pw@host`), raw and decoded, so they can be registered as secrets
 * before anything logs the URL. Tolerates text that is not a URL (the userinfo is found by pattern then).
 */
function urlCredentials(text) {
    const match = /^\s*[a-z][a-z0-9+.-]*:\/\/([^/?#@\s]*)@/i.exec(text);
    if (!match)
        return [];
    const found = new Set();
    const [user, ...rest] = match[1].split(':');
    const password = rest.join(':');
    for (const part of [password, user, match[1]]) {
        if (!part)
            continue;
        found.add(part);
        try {
            found.add(decodeURIComponent(part));
        }
        catch {
            // Not percent-encoded validly: the raw form is registered already.
        }
    }
    return [...found];
}


/***/ }),

/***/ 7993:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Hi: () => (/* binding */ RemoteError),
/* harmony export */   ZR: () => (/* binding */ remoteErrorFrom),
/* harmony export */   _z: () => (/* binding */ parseRemoteBody)
/* harmony export */ });
/* unused harmony export classify */
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(2635);
/* harmony import */ var _redact__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(4781);


/**
 * One remote answer the caller did not expect: which service, which operation, the status, the remote code and message.
 * Behaviour branches on `kind`, `status` and `code`; the words are made from the fields, once, here — the model is
 * go-containerregistry's transport.Error + CheckError. To add context, derive a new error with `with(...)` instead of
 * editing the message.
 */
class RemoteError extends _errors__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo {
    service;
    operation;
    status;
    code;
    remoteMessage;
    account;
    endpoint;
    retryAfter;
    advice;
    kind;
    constructor(fields, options) {
        const kind = fields.kind ?? classify(fields.status, fields.code);
        super(describe({ ...fields, kind }), options);
        Object.assign(this, fields);
        this.kind = kind;
        this.name = 'RemoteError';
    }
    /** A copy with some fields replaced (typically `advice`); the message is made anew from the fields. */
    with(patch) {
        const { service, operation, status, code, remoteMessage, account, endpoint, retryAfter, advice } = this;
        const kind = patch.kind ?? (patch.status !== undefined || patch.code !== undefined ? undefined : this.kind);
        return new RemoteError({ service, operation, status, code, remoteMessage, account, endpoint, retryAfter, advice, kind, ...patch }, { cause: this.cause });
    }
    /** Worth sending again: 408, 429 and 5xx. */
    get retryable() {
        return this.status === 408 || this.status === 429 || this.status >= 500;
    }
}
/** The decision table: status first, the remote code where one status means several things. */
function classify(status, code) {
    const upper = code?.toUpperCase();
    if (status === 401)
        return 'credentials';
    if (status === 403)
        return upper === 'DENIED' ? 'policy' : 'permission';
    if (status === 404)
        return 'not-found';
    if (status === 409)
        return 'conflict';
    if (status === 412)
        return 'policy';
    if (status === 429)
        return 'throttled';
    if (status >= 500)
        return 'server';
    if (status === 400 || status === 422 || status === 413)
        return 'invalid';
    return 'unexpected';
}
const DEFAULT_ADVICE = {
    credentials: 'check the username and password',
    permission: 'the account lacks the permission',
    policy: 'this is a policy of the service (e.g. a full project quota, read-only mode or an immutable tag), not a missing role',
};
/**
 * Which rule a policy refusal is, from the status alone: Harbor answers 403 DENIED for a full storage quota and for
 * read-only mode (src/server/middleware/quota/quota.go, readonly/readonly.go) and 412 for an immutable tag and for the
 * signature and vulnerability policies (src/server/middleware/immutable/pushmf.go, contenttrust, vulnerable).
 */
function policyAdvice(status) {
    if (status === 403)
        return "a quota or read-only rule, not a missing role: the project's storage quota is full (free space or raise the quota) or the registry is read-only";
    if (status === 412)
        return 'a project rule, not a missing role: an immutable tag cannot be overwritten (push a new tag or change the rule), or a signature or vulnerability policy blocks the artifact';
    return undefined;
}
/** The one place a RemoteError becomes words. */
function describe(f) {
    const remote = [f.code, f.remoteMessage].filter(Boolean).join(': ');
    const who = f.account ?? 'anonymous';
    const advice = f.advice ?? (f.kind === 'policy' ? policyAdvice(f.status) : undefined) ?? DEFAULT_ADVICE[f.kind];
    const tail = advice ? `; ${advice}` : '';
    switch (f.kind) {
        case 'credentials':
            return `${f.service} authentication failed for ${who}${f.endpoint ? ` at ${f.endpoint}` : ''}${remote ? ` (${remote})` : ''}${tail}`;
        case 'permission':
            return `${f.service} denied ${f.operation} for ${who} (${f.status}${remote ? `: ${remote}` : ''})${tail}`;
        case 'policy':
            return `${f.service} refused ${f.operation} by policy (${f.status}${remote ? `: ${remote}` : ''})${tail}`;
        default:
            return `${f.service} ${f.operation} failed with ${f.status}${remote ? `: ${remote}` : ''}${tail}`;
    }
}
const MAX_REMOTE = 300;
/**
 * The code and message of an error body: Harbor and OCI `{"errors":[{"code","message"}]}`, ARM
 * `{"error":{"code","message"}}`, `{"message"}`, or the first line of a text body. Redacted and shortened.
 */
function parseRemoteBody(body) {
    const text = body.toString().trim();
    if (!text)
        return {};
    const clip = (s) => (s ? (0,_redact__WEBPACK_IMPORTED_MODULE_1__/* .redactText */ .Rd)(s).slice(0, MAX_REMOTE) : undefined);
    try {
        const json = JSON.parse(text);
        if (Array.isArray(json.errors) && json.errors.length > 0) {
            const first = json.errors.find((e) => e.code) ?? json.errors[0];
            const messages = json.errors.map((e) => e.message).filter(Boolean);
            return { code: first.code, message: clip(messages.join('; ')) };
        }
        if (json.error && typeof json.error === 'object')
            return { code: json.error.code, message: clip(json.error.message) };
        if (typeof json.error === 'string')
            return { message: clip(json.error) };
        if (typeof json.message === 'string')
            return { message: clip(json.message) };
    }
    catch {
        // not JSON: the text itself
    }
    return { message: clip(text.split(/\r?\n/)[0]) };
}
/**
 * CheckError's counterpart: a response whose status is not in `expected` becomes a RemoteError with the body's code and
 * message; an expected one passes through.
 */
function remoteErrorFrom(res, fields) {
    const { code, message } = parseRemoteBody(res.body);
    return new RemoteError({
        ...fields,
        status: res.status,
        code,
        remoteMessage: message,
        retryAfter: res.headers['retry-after'],
    });
}


/***/ }),

/***/ 7740:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   t: () => (/* binding */ basicAuth)
/* harmony export */ });
/** An HTTP Basic `Authorization` value (RFC 7617); an absent password is empty, as registries expect for tokens. */
function basicAuth(username, password = '') {
    return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}


/***/ }),

/***/ 5977:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   RK: () => (/* binding */ clockWith),
/* harmony export */   ml: () => (/* binding */ systemClock),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
const systemClock = { now: () => Date.now(), sleep };
/** A clock with some parts replaced (the test seams steps and clients accept). */
function clockWith(parts = {}) {
    return { now: parts.now ?? systemClock.now, sleep: parts.sleep ?? sleep };
}


/***/ }),

/***/ 2613:
/***/ ((module) => {

module.exports = require("assert");

/***/ }),

/***/ 5317:
/***/ ((module) => {

module.exports = require("child_process");

/***/ }),

/***/ 6982:
/***/ ((module) => {

module.exports = require("crypto");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = require("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

module.exports = require("fs");

/***/ }),

/***/ 8611:
/***/ ((module) => {

module.exports = require("http");

/***/ }),

/***/ 5692:
/***/ ((module) => {

module.exports = require("https");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = require("net");

/***/ }),

/***/ 4589:
/***/ ((module) => {

module.exports = require("node:assert");

/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = require("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = require("node:buffer");

/***/ }),

/***/ 7540:
/***/ ((module) => {

module.exports = require("node:console");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = require("node:crypto");

/***/ }),

/***/ 3053:
/***/ ((module) => {

module.exports = require("node:diagnostics_channel");

/***/ }),

/***/ 610:
/***/ ((module) => {

module.exports = require("node:dns");

/***/ }),

/***/ 8474:
/***/ ((module) => {

module.exports = require("node:events");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = require("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = require("node:http2");

/***/ }),

/***/ 4708:
/***/ ((module) => {

module.exports = require("node:https");

/***/ }),

/***/ 7030:
/***/ ((module) => {

module.exports = require("node:net");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = require("node:perf_hooks");

/***/ }),

/***/ 1792:
/***/ ((module) => {

module.exports = require("node:querystring");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = require("node:stream");

/***/ }),

/***/ 1692:
/***/ ((module) => {

module.exports = require("node:tls");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = require("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = require("node:util");

/***/ }),

/***/ 3429:
/***/ ((module) => {

module.exports = require("node:util/types");

/***/ }),

/***/ 5919:
/***/ ((module) => {

module.exports = require("node:worker_threads");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = require("node:zlib");

/***/ }),

/***/ 857:
/***/ ((module) => {

module.exports = require("os");

/***/ }),

/***/ 6928:
/***/ ((module) => {

module.exports = require("path");

/***/ }),

/***/ 2203:
/***/ ((module) => {

module.exports = require("stream");

/***/ }),

/***/ 3193:
/***/ ((module) => {

module.exports = require("string_decoder");

/***/ }),

/***/ 3557:
/***/ ((module) => {

module.exports = require("timers");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = require("tls");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = require("util");

/***/ })

/******/ 	});
/************************************************************************/
/******/ 	// The module cache
/******/ 	var __webpack_module_cache__ = {};
/******/ 	
/******/ 	// The require function
/******/ 	function __nccwpck_require__(moduleId) {
/******/ 		// Check if module is in cache
/******/ 		var cachedModule = __webpack_module_cache__[moduleId];
/******/ 		if (cachedModule !== undefined) {
/******/ 			return cachedModule.exports;
/******/ 		}
/******/ 		// Create a new module (and put it into the cache)
/******/ 		var module = __webpack_module_cache__[moduleId] = {
/******/ 			// no module.id needed
/******/ 			// no module.loaded needed
/******/ 			exports: {}
/******/ 		};
/******/ 	
/******/ 		// Execute the module function
/******/ 		var threw = true;
/******/ 		try {
/******/ 			__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 			threw = false;
/******/ 		} finally {
/******/ 			if(threw) delete __webpack_module_cache__[moduleId];
/******/ 		}
/******/ 	
/******/ 		// Return the exports of the module
/******/ 		return module.exports;
/******/ 	}
/******/ 	
/******/ 	// expose the modules object (__webpack_modules__)
/******/ 	__nccwpck_require__.m = __webpack_modules__;
/******/ 	
/************************************************************************/
/******/ 	/* webpack/runtime/create fake namespace object */
/******/ 	(() => {
/******/ 		var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 		var leafPrototypes;
/******/ 		// create a fake namespace object
/******/ 		// mode & 1: value is a module id, require it
/******/ 		// mode & 2: merge all properties of value into the ns
/******/ 		// mode & 4: return value when already ns object
/******/ 		// mode & 16: return value when it's Promise-like
/******/ 		// mode & 8|1: behave like require
/******/ 		__nccwpck_require__.t = function(value, mode) {
/******/ 			if(mode & 1) value = this(value);
/******/ 			if(mode & 8) return value;
/******/ 			if(typeof value === 'object' && value) {
/******/ 				if((mode & 4) && value.__esModule) return value;
/******/ 				if((mode & 16) && typeof value.then === 'function') return value;
/******/ 			}
/******/ 			var ns = Object.create(null);
/******/ 			__nccwpck_require__.r(ns);
/******/ 			var def = {};
/******/ 			leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 			for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 				Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 			}
/******/ 			def['default'] = () => (value);
/******/ 			__nccwpck_require__.d(ns, def);
/******/ 			return ns;
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/define property getters */
/******/ 	(() => {
/******/ 		// define getter functions for harmony exports
/******/ 		__nccwpck_require__.d = (exports, definition) => {
/******/ 			for(var key in definition) {
/******/ 				if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 					Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 				}
/******/ 			}
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/ensure chunk */
/******/ 	(() => {
/******/ 		__nccwpck_require__.f = {};
/******/ 		// This file contains only the entry chunk.
/******/ 		// The chunk loading function for additional chunks
/******/ 		__nccwpck_require__.e = (chunkId) => {
/******/ 			return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 				__nccwpck_require__.f[key](chunkId, promises);
/******/ 				return promises;
/******/ 			}, []));
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/get javascript chunk filename */
/******/ 	(() => {
/******/ 		// This function allow to reference async chunks
/******/ 		__nccwpck_require__.u = (chunkId) => {
/******/ 			// return url for filenames based on template
/******/ 			return "" + chunkId + ".index.js";
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/hasOwnProperty shorthand */
/******/ 	(() => {
/******/ 		__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/make namespace object */
/******/ 	(() => {
/******/ 		// define __esModule on exports
/******/ 		__nccwpck_require__.r = (exports) => {
/******/ 			if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 				Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 			}
/******/ 			Object.defineProperty(exports, '__esModule', { value: true });
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/compat */
/******/ 	
/******/ 	if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = __dirname + "/";
/******/ 	
/******/ 	/* webpack/runtime/require chunk loading */
/******/ 	(() => {
/******/ 		// no baseURI
/******/ 		
/******/ 		// object to store loaded chunks
/******/ 		// "1" means "loaded", otherwise not loaded yet
/******/ 		var installedChunks = {
/******/ 			792: 1
/******/ 		};
/******/ 		
/******/ 		// no on chunks loaded
/******/ 		
/******/ 		var installChunk = (chunk) => {
/******/ 			var moreModules = chunk.modules, chunkIds = chunk.ids, runtime = chunk.runtime;
/******/ 			for(var moduleId in moreModules) {
/******/ 				if(__nccwpck_require__.o(moreModules, moduleId)) {
/******/ 					__nccwpck_require__.m[moduleId] = moreModules[moduleId];
/******/ 				}
/******/ 			}
/******/ 			if(runtime) runtime(__nccwpck_require__);
/******/ 			for(var i = 0; i < chunkIds.length; i++)
/******/ 				installedChunks[chunkIds[i]] = 1;
/******/ 		
/******/ 		};
/******/ 		
/******/ 		// require() chunk loading for javascript
/******/ 		__nccwpck_require__.f.require = (chunkId, promises) => {
/******/ 			// "1" is the signal for "already loaded"
/******/ 			if(!installedChunks[chunkId]) {
/******/ 				if(true) { // all chunks have JS
/******/ 					installChunk(require("./" + __nccwpck_require__.u(chunkId)));
/******/ 				} else installedChunks[chunkId] = 1;
/******/ 			}
/******/ 		};
/******/ 		
/******/ 		// no external install chunk
/******/ 		
/******/ 		// no HMR
/******/ 		
/******/ 		// no HMR manifest
/******/ 	})();
/******/ 	
/************************************************************************/
var __webpack_exports__ = {};

// EXTERNAL MODULE: ./shared/capability.ts + 5 modules
var shared_capability = __nccwpck_require__(5806);
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = require("node:os");
;// CONCATENATED MODULE: ./shared/log-text.ts
/** How verbatim foreign text (a remote log, a tool's output) is set apart from the step's own lines on every platform. */
function fenceForeign(text) {
    return text
        .replace(/\s+$/, '')
        .split(/\r?\n|\r/)
        .map((line) => `  | ${line}`)
        .join('\n');
}

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/command.js
var command = __nccwpck_require__(4914);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/utils.js
var utils = __nccwpck_require__(302);
;// CONCATENATED MODULE: ./actions/adapter/actions-core.ts
/**
 * The part of @actions/core the GitHub adapter uses, built on the package's own command and file-command modules
 * (which do the escaping and the GITHUB_OUTPUT heredoc format). @actions/core's entry module also loads its OIDC
 * client, and with it @actions/http-client, tunnel, undici and @actions/exec, on every start: that was most of a
 * step's start-up cost before its first input error (bench/push/RESULTS.md). The functions here behave as the
 * package's functions of the same names (test/adapter/bundles.test.ts asserts the exact lines on the real bundle).
 */



function getInput(name, options = {}) {
    const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
    return options.trimWhitespace === false ? value : value.trim();
}
/**
 * The file-command module (GITHUB_OUTPUT and friends), loaded on the first output: it loads node:crypto for its
 * heredoc delimiter, which a step stopped by its inputs never needs (bench/startup).
 */
function fileCommand() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return __nccwpck_require__(4753);
}
function setOutput(name, value) {
    if (process.env.GITHUB_OUTPUT) {
        const { issueFileCommand, prepareKeyValueMessage } = fileCommand();
        return issueFileCommand('OUTPUT', prepareKeyValueMessage(name, value));
    }
    process.stdout.write(external_node_os_namespaceObject.EOL);
    (0,command.issueCommand)('set-output', { name }, (0,utils.toCommandValue)(value));
}
function setSecret(secret) {
    (0,command.issueCommand)('add-mask', {}, secret);
}
function isDebug() {
    return process.env.RUNNER_DEBUG === '1';
}
function debug(message) {
    (0,command.issueCommand)('debug', {}, message);
}
function info(message) {
    process.stdout.write(message + external_node_os_namespaceObject.EOL);
}
function warning(message) {
    (0,command.issueCommand)('warning', {}, message);
}
function error(message) {
    (0,command.issueCommand)('error', {}, message);
}
function setFailed(message) {
    process.exitCode = 1;
    error(message);
}
async function group(name, fn) {
    (0,command.issue)('group', name);
    try {
        return await fn();
    }
    finally {
        (0,command.issue)('endgroup');
    }
}
/** The job summary writer, loaded when a step writes its summary. */
function summary() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (__nccwpck_require__(1847).summary);
}

;// CONCATENATED MODULE: ./actions/adapter/log-text.ts
/**
 * Text for the GitHub runner's log that the runner cannot act on.
 *
 * The runner (actions/runner src/Runner.Common/ActionCommand.cs, ActionCommandManager.TryProcessCommand) reads every
 * output line as a command when, after leading whitespace, it starts with `::name …::` (TryParseV2), or when it holds
 * `##[name …]` anywhere (the legacy TryParse). A report, a remote answer or an input that contains such a line could
 * set outputs, add masks, raise annotations, or send `::stop-commands::` and hide the step's own `::error::`.
 *
 * Text that could be read as a command is printed verbatim between `::stop-commands::<token>` and `::<token>::` —
 * GitHub's documented way to print foreign text — with a fresh random token the text cannot know (the runner masks it).
 * Everything else is printed as it is.
 */
function safeForGitHub(text) {
    const lines = text.split(/\r?\n|\r/);
    if (!lines.some(couldBeCommand))
        return lines.join('\n');
    // node:crypto loads here, for the rare line that needs a token, not with every step's start (bench/startup).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const token = `hp-${(__nccwpck_require__(7598).randomBytes)(16).toString('hex')}`;
    return [`::stop-commands::${token}`, ...lines, `::${token}::`].join('\n');
}
/** Broader than the runner on purpose: any name counts (commands are added over time, and a stop token is any word). */
function couldBeCommand(line) {
    const trimmed = line.trimStart();
    if (trimmed.startsWith('::') && trimmed.indexOf('::', 2) >= 0)
        return true;
    const legacy = line.indexOf('##[');
    return legacy >= 0 && line.indexOf(']', legacy) >= 0;
}

;// CONCATENATED MODULE: ./actions/adapter/github-platform.ts




// Loaded when first used, through import() so that the bundler keeps them (and the HTTP client tool-cache brings,
// @actions/http-client with undici) out of what every step compiles at start: most runs start no tool.
const exec = () => Promise.all(/* import() */[__nccwpck_require__.e(994), __nccwpck_require__.e(236)]).then(__nccwpck_require__.t.bind(__nccwpck_require__, 5236, 23));
const io = () => __nccwpck_require__.e(/* import() */ 994).then(__nccwpck_require__.t.bind(__nccwpck_require__, 4994, 23));
const tc = () => Promise.all(/* import() */[__nccwpck_require__.e(994), __nccwpck_require__.e(236), __nccwpck_require__.e(472)]).then(__nccwpck_require__.t.bind(__nccwpck_require__, 3472, 23));
/** The Platform port on GitHub Actions, through @actions/core, @actions/exec and @actions/tool-cache. */
class GitHubPlatform {
    kind = 'github';
    getInput(spec) {
        const value = getInput(spec.name, { trimWhitespace: spec.type !== 'multiline' && spec.type !== 'secret' });
        return value === '' ? undefined : value;
    }
    inputName(spec) {
        return spec.name;
    }
    getServiceConnection() {
        return undefined;
    }
    setOutput(spec, value) {
        if (spec.secret)
            setSecret(value);
        setOutput(spec.name, value);
    }
    setSecret(value) {
        setSecret(value);
    }
    debug(message) {
        debug(message);
    }
    info(message, options = {}) {
        // core.info writes the text raw; warning/error/debug/group are `::cmd::data` with the data escaped by @actions/core,
        // and the runner reads one command per line, so only plain lines need neutralising.
        info(safeForGitHub(options.foreign ? fenceForeign(message) : message));
    }
    warning(message) {
        warning(message);
    }
    error(message) {
        error(message);
    }
    isDebug() {
        return isDebug();
    }
    group(title, fn) {
        return group(title, fn);
    }
    async addSummary(markdown) {
        // Outside a runner (local runs) there is no summary file; the log already holds the same facts.
        if (!process.env.GITHUB_STEP_SUMMARY)
            return;
        await summary().addRaw(markdown, true).write();
    }
    setResult(result, message) {
        if (result === 'failed')
            setFailed(message ?? 'failed');
        else if (result === 'succeeded-with-issues' && message)
            warning(message);
    }
    async exec(tool, args, options = {}) {
        const result = await (await exec()).getExecOutput(tool, args, {
            cwd: options.cwd,
            env: options.env ? { ...process.env, ...options.env } : undefined,
            silent: options.silent,
            ignoreReturnCode: options.ignoreReturnCode,
        });
        return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
    }
    async which(tool) {
        const found = await (await io()).which(tool, false);
        return found || undefined;
    }
    async findCachedTool(name, version) {
        return (await tc()).find(name, version) || undefined;
    }
    async cacheTool(sourceDir, name, version) {
        return (await tc()).cacheDir(sourceDir, name, version);
    }
    tempDir() {
        return process.env.RUNNER_TEMP || (0,external_node_os_namespaceObject.tmpdir)();
    }
    workspaceDir() {
        return process.env.GITHUB_WORKSPACE || process.cwd();
    }
    network() {
        const env = process.env;
        const raw = env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy;
        const settings = {
            noProxy: (env.NO_PROXY || env.no_proxy || '').split(',').filter((s) => s.trim() !== ''),
            caFiles: env.NODE_EXTRA_CA_CERTS ? [env.NODE_EXTRA_CA_CERTS] : [],
        };
        if (raw) {
            const url = new URL(raw);
            if (url.username)
                settings.proxyUsername = decodeURIComponent(url.username);
            if (url.password) {
                settings.proxyPassword = decodeURIComponent(url.password);
                setSecret(settings.proxyPassword);
            }
            url.username = '';
            url.password = '';
            settings.proxyUrl = url.toString();
        }
        return settings;
    }
}

;// CONCATENATED MODULE: ./actions/adapter/run.ts


/** Entry point of every action bundle. */
function runAction(capability) {
    return (0,shared_capability/* runCapability */.WG)(capability, new GitHubPlatform());
}

;// CONCATENATED MODULE: ./shared/entry-point.ts
/**
 * A step whose run module (HTTP client, registry and Harbor clients, reports…) is loaded only once its inputs have
 * been read: the bundler puts what `load` imports into a separate chunk, so a run that stops at an input error
 * compiles and initialises only the adapter, the definition and input parsing (bench/startup).
 */
function lazyCapability(definition, load) {
    return {
        definition,
        run: async (...args) => (await load()).default.run(...args),
    };
}

// EXTERNAL MODULE: ./shared/capabilities/acr-token/definition.ts + 1 modules
var definition = __nccwpck_require__(5563);
;// CONCATENATED MODULE: ./actions/acr-token/main.ts



const run = () => runAction(lazyCapability(definition/* definition */.m, () => __nccwpck_require__.e(/* import() */ 941).then(__nccwpck_require__.bind(__nccwpck_require__, 6941))));

;// CONCATENATED MODULE: ./actions/acr-token/index.ts

void run();

module.exports = __webpack_exports__;
/******/ })()
;