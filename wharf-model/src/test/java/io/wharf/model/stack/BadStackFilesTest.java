package io.wharf.model.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.codec.Decoded;
import io.wharf.model.validation.Problem;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each bad stack file yields exactly these problems (path: reason), in this order. */
class BadStackFilesTest {

    record Case(String yaml, List<String> problems) {}

    static Named<Case> bad(String name, String yaml, String... problems) {
        return Named.of(name, new Case(yaml, List.of(problems)));
    }

    static Stream<Named<Case>> cases() {
        return Stream.of(
                bad("missing stack name", """
                        services:
                          web: {image: nginx}
                        """,
                        "stack: is required"),
                bad("invalid stack name", """
                        stack: My_Shop
                        """,
                        "stack: invalid name \"My_Shop\": use lowercase letters, digits and '-', start with a letter, end with a letter or digit"),
                bad("unknown top-level field with suggestion", """
                        stack: shop
                        service:
                          web: {image: nginx}
                        """,
                        "service: unknown field (did you mean \"services\"?)"),
                bad("unknown service field with suggestion", """
                        stack: shop
                        services:
                          web:
                            image: nginx
                            replcas: 2
                        """,
                        "services.web.replcas: unknown field (did you mean \"replicas\"?)"),
                bad("unknown field without a close match", """
                        stack: shop
                        services:
                          web: {image: nginx, colour: blue}
                        """,
                        "services.web.colour: unknown field"),
                bad("replicas of the wrong type", """
                        stack: shop
                        services:
                          web: {image: nginx, replicas: three}
                        """,
                        "services.web.replicas: must be an integer, got string \"three\""),
                bad("negative replicas", """
                        stack: shop
                        services:
                          web: {image: nginx, replicas: -1}
                        """,
                        "services.web.replicas: must be >= 0"),
                bad("bad durations in a health check", """
                        stack: shop
                        services:
                          web:
                            image: nginx
                            ports: [{name: http, port: 80}]
                            health: {path: /healthz, interval: 10, timeout: -1s, startPeriod: 1.5s}
                        """,
                        "services.web.health.interval: must be a duration like \"10s\" or \"1m30s\", got number 10",
                        "services.web.health.timeout: must not be negative, got \"-1s\"",
                        "services.web.health.startPeriod: must be a duration like \"10s\" or \"1m30s\", got string \"1.5s\""),
                bad("zero interval and a timeout longer than the interval", """
                        stack: shop
                        services:
                          web:
                            image: nginx
                            ports: [{name: http, port: 80}]
                            health:
                              readiness: {path: /, interval: 0}
                              liveness: {interval: 5s, timeout: 6s}
                        """,
                        "services.web.health.liveness.timeout: must not be longer than the interval (5s)",
                        "services.web.health.readiness.interval: must be > 0"),
                bad("bad sizes and cpu", """
                        stack: shop
                        services:
                          web:
                            image: nginx
                            resources: {cpu: fast, memory: 12 GB}
                        """,
                        "services.web.resources.cpu: must be CPU cores like \"0.5\" or \"2\", or millicores like \"500m\", got string \"fast\"",
                        "services.web.resources.memory: must be a size like \"256Mi\", \"1Gi\", \"512M\" or a number of bytes, got string \"12 GB\""),
                bad("port out of range and unknown protocol", """
                        stack: shop
                        services:
                          web:
                            image: nginx
                            ports:
                              - {name: http, port: 70000, protocol: tpc}
                        """,
                        "services.web.ports[0].port: must be <= 65535",
                        "services.web.ports[0].protocol: must be one of tcp|udp, got string \"tpc\" (did you mean \"tcp\"?)"),
                bad("duplicate port names and numbers", """
                        stack: shop
                        services:
                          web:
                            image: nginx
                            ports:
                              - {name: http, port: 80}
                              - {name: http, port: 81}
                              - {name: admin, port: 80}
                        """,
                        "services.web.ports[1].name: duplicate port name \"http\"",
                        "services.web.ports: port 80/tcp is declared twice (http and admin)"),
                bad("unknown restart policy", """
                        stack: shop
                        services:
                          web:
                            image: nginx
                            restart: {policy: sometimes, multiplier: 0.5, delay: 10s, maxDelay: 5s}
                        """,
                        "services.web.restart.policy: must be one of always|on-failure|never, got string \"sometimes\"",
                        "services.web.restart.maxDelay: must not be shorter than delay (10s)",
                        "services.web.restart.multiplier: must be >= 1"),
                bad("YAML duplicate keys", """
                        stack: shop
                        services:
                          web:
                            image: nginx
                            replicas: 2
                            replicas: 3
                        """,
                        "services.web.replicas: duplicate key (first at line 5, again at line 6)"),
                bad("duplicate service names", """
                        stack: shop
                        services:
                          web: {image: nginx}
                          web: {image: httpd}
                        """,
                        "services.web: duplicate key (first at line 3, again at line 4)"),
                bad("a job named like a service", """
                        stack: shop
                        services:
                          web: {image: nginx}
                        jobs:
                          web: {command: /bin/true}
                        """,
                        "jobs.web: name \"web\" is already used by services.web"),
                bad("dangling dependency with suggestion", """
                        stack: shop
                        services:
                          db: {image: postgres}
                          api: {image: api, dependsOn: [dbb]}
                        """,
                        "services.api.dependsOn[0]: unknown service or job \"dbb\" (did you mean \"db\"?)"),
                bad("dependency on itself and twice on the same", """
                        stack: shop
                        services:
                          db: {image: postgres}
                          api: {image: api, dependsOn: [api, db, db]}
                        """,
                        "services.api.dependsOn[0]: \"api\" cannot depend on itself",
                        "services.api.dependsOn[2]: duplicate dependency \"db\""),
                bad("dependency cycle", """
                        stack: shop
                        services:
                          a: {image: a, dependsOn: [b]}
                          b: {image: b, dependsOn: [c]}
                          c: {image: c, dependsOn: [a]}
                        """,
                        "services.a.dependsOn: dependency cycle a -> b -> c -> a"),
                bad("conditions that do not fit their target", """
                        stack: shop
                        services:
                          db: {image: postgres}
                          api:
                            image: api
                            dependsOn: {db: completed, migrate: healthy, cache: started}
                          cache: {image: redis, dependsOn: {db: healthy}}
                        jobs:
                          migrate: {command: /bin/migrate}
                        """,
                        "services.api.dependsOn.db: \"db\" is a service and never completes: use started or healthy",
                        "services.api.dependsOn.migrate: \"migrate\" is a job: use completed or started",
                        "services.cache.dependsOn.db: \"db\" has no readiness check, so it never becomes healthy"),
                bad("unknown dependency condition", """
                        stack: shop
                        services:
                          db: {image: postgres}
                          api: {image: api, dependsOn: {db: ready}}
                        """,
                        "services.api.dependsOn.db: must be one of started|healthy|completed, got string \"ready\""),
                bad("no main task and a prestart task with ports", """
                        stack: shop
                        services:
                          web:
                            tasks:
                              init: {lifecycle: prestart, command: /bin/init, ports: [{name: http, port: 80}]}
                              side: {lifecycle: sidecar, command: /bin/side}
                        """,
                        "services.web.tasks.init.ports: prestart tasks cannot have ports",
                        "services.web.tasks: needs exactly one main task, found none"),
                bad("two main tasks", """
                        stack: shop
                        services:
                          web:
                            tasks:
                              one: {command: /bin/one}
                              two: {command: /bin/two}
                        """,
                        "services.web.tasks: needs exactly one main task, found 2 (one, two)"),
                bad("task fields next to tasks", """
                        stack: shop
                        services:
                          web:
                            image: nginx
                            ports: [{name: http, port: 80}]
                            tasks:
                              main: {image: nginx}
                        """,
                        "services.web.image: not allowed next to tasks (move it into a task)",
                        "services.web.ports: not allowed next to tasks (move it into a task)"),
                bad("a setting of another driver, and a missing command", """
                        stack: shop
                        services:
                          web: {driver: process, image: nginx}
                        """,
                        "services.web.image: not a setting of the process driver (it takes command, args, workingDir)",
                        "services.web.command: is required for the process driver"),
                bad("unknown driver", """
                        stack: shop
                        services:
                          web: {driver: dokcer, image: nginx}
                        """,
                        "services.web.driver: must be one of process|docker|java|sim, got \"dokcer\" (did you mean \"docker\"?)"),
                bad("no driver at all", """
                        stack: shop
                        services:
                          web: {replicas: 2}
                        """,
                        "services.web.driver: is required (process, docker or java)"),
                bad("java needs jar or mainClass", """
                        stack: shop
                        jobs:
                          report: {driver: java, jvmOptions: -Xmx1g}
                          both: {driver: java, jar: /a.jar, mainClass: a.B}
                        """,
                        "jobs.report.jar: is required for the java driver (or mainClass)",
                        "jobs.both.mainClass: use either jar or mainClass, not both",
                        "jobs.both.classpath: is required with mainClass"),
                bad("bad cron schedule and time zone", """
                        stack: shop
                        cronJobs:
                          nightly:
                            schedule: "61 2 * * *"
                            timeZone: Europe/Pariss
                            job: {command: /bin/report}
                          weekly:
                            schedule: "0 2 * *"
                            job: {command: /bin/report}
                          sometimes:
                            schedule: "@fortnightly"
                            concurrencyPolicy: never
                            job: {command: /bin/report}
                        """,
                        "cronJobs.nightly.schedule: invalid cron expression \"61 2 * * *\": Failed to parse cron expression. Value 61 not in range [0, 59]",
                        "cronJobs.nightly.timeZone: unknown time zone \"Europe/Pariss\" (did you mean \"Europe/Paris\"?)",
                        "cronJobs.weekly.schedule: invalid cron expression \"0 2 * *\": needs 5 fields (minute hour day-of-month month day-of-week), got 4",
                        "cronJobs.sometimes.schedule: unknown schedule nickname \"@fortnightly\" (use @annually, @daily, @hourly, @midnight, @monthly, @weekly, @yearly)",
                        "cronJobs.sometimes.concurrencyPolicy: must be one of allow|forbid|replace, got string \"never\""),
                bad("cron job without a job template", """
                        stack: shop
                        cronJobs:
                          nightly: {schedule: "@daily"}
                        """,
                        "cronJobs.nightly.job: is required (the job template)"),
                bad("route to an unknown service and port", """
                        stack: shop
                        services:
                          web: {image: nginx, ports: [{name: http, port: 80}, {name: admin, port: 81}]}
                        routes:
                          a: {service: wbe, path: /a}
                          b: {service: web, port: htp, path: /b}
                          c: {service: web, path: /c}
                          d: {service: web, port: 9090, path: /d}
                        """,
                        "routes.a.service: unknown service \"wbe\" (did you mean \"web\"?)",
                        "routes.b.port: unknown port \"htp\" of service \"web\" (did you mean \"http\"?)",
                        "routes.c.port: is required (service \"web\" has several ports: http, admin)",
                        "routes.d.port: service \"web\" has no port 9090"),
                bad("route with both service and backends, and no backend weight", """
                        stack: shop
                        services:
                          web: {image: nginx, ports: [{name: http, port: 80}]}
                        routes:
                          a:
                            service: web
                            backends: [{service: web, weight: 0}]
                            path: api
                            auth: basic
                        """,
                        "routes.a.path: must start with /, got \"api\"",
                        "routes.a.service: use either service/port or backends, not both",
                        "routes.a.backends: at least one backend needs a weight > 0",
                        "routes.a.auth: must be one of jwt, got string \"basic\""),
                bad("gateway route policies", """
                        stack: shop
                        services:
                          web: {image: nginx, ports: [{name: http, port: 80}]}
                        routes:
                          a:
                            service: web
                            headers: {"bad header": x, X-Env: beta}
                            priority: 2000
                            loadBalancing: random
                            rateLimit: {requests: 10, keyHeader: "a b"}
                            auth: {type: jwt, jwksUrl: ftp://keys, publicKey: nope, algorithms: [RS256, none, HS256]}
                        """,
                        "routes.a.rateLimit.keyHeader: invalid header name \"a b\"",
                        "routes.a.auth.jwksUrl: must be an http:// or https:// URL, got \"ftp://keys\"",
                        "routes.a.auth.publicKey: use either jwksUrl or publicKey, not both",
                        "routes.a.auth.publicKey: must be a PEM public key (-----BEGIN PUBLIC KEY-----)",
                        "routes.a.auth.algorithms: unsupported algorithm \"none\" (one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512)",
                        "routes.a.auth.algorithms: unsupported algorithm \"HS256\" (one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512)",
                        "routes.a.headers: invalid header name \"bad header\"",
                        "routes.a.priority: must be <= 1000",
                        "routes.a.loadBalancing: must be one of round-robin|least-requests|power-of-two, got string \"random\""),
                bad("inline route to a service without ports", """
                        stack: shop
                        services:
                          worker:
                            command: /bin/worker
                            routes: [{host: w.example.com}]
                        """,
                        "services.worker.routes[0].port: service \"worker\" declares no ports"),
                bad("dangling config, secret and volume references", """
                        stack: shop
                        volumes: [data]
                        configs:
                          app-config: {data: "x"}
                        secrets:
                          db-password: {value: "y"}
                        services:
                          web:
                            image: nginx
                            configs: [app-cfg]
                            secrets: [{name: db-pasword, env: DB_PASSWORD}]
                            volumes: [{name: dta, target: /data}, "cache:/cache"]
                        """,
                        "services.web.volumes[0].name: unknown volume \"dta\" (did you mean \"data\"?)",
                        "services.web.volumes[1]: unknown volume \"cache\" (declare it under the top-level volumes)",
                        "services.web.configs[0]: unknown config \"app-cfg\" (did you mean \"app-config\"?)",
                        "services.web.secrets[0].name: unknown secret \"db-pasword\" (did you mean \"db-password\"?)"),
                bad("bad mounts", """
                        stack: shop
                        configs:
                          c: {data: x}
                        services:
                          web:
                            image: nginx
                            configs: [{name: c, env: MY-VAR, path: /etc/c, mode: 0999}]
                            volumes: [{hostPath: relative/dir, target: data}, {target: /x}]
                        """,
                        "services.web.volumes[0].hostPath: must be an absolute path, got \"relative/dir\"",
                        "services.web.volumes[0].target: must be an absolute path, got \"data\"",
                        "services.web.volumes[1].name: is required (a named volume, or hostPath)",
                        "services.web.configs[0].path: use either env or path, not both",
                        "services.web.configs[0].env: invalid environment variable name \"MY-VAR\": use letters, digits and '_', not starting with a digit",
                        "services.web.configs[0].mode: must be an octal file mode like \"0440\", got number 0999"),
                bad("booleans are only true and false", """
                        stack: shop
                        services:
                          web:
                            image: nginx
                            volumes: [{hostPath: /srv, target: /srv, readOnly: yes}]
                            placement: {global: on}
                        """,
                        "services.web.volumes[0].readOnly: must be true or false, got string \"yes\"",
                        "services.web.placement.global: must be true or false, got string \"on\""),
                bad("bad placement constraints", """
                        stack: shop
                        services:
                          web:
                            image: nginx
                            placement:
                              constraints:
                                - "node.zone == a"
                                - "node.labels.zone ~ a"
                                - "node.labels.disk =~ [ssd"
                                - {attribute: node.name, operator: "!="}
                              conflicts: [web, cache]
                        """,
                        "services.web.placement.constraints[0]: unknown attribute \"node.zone\" (use node.name, node.address or node.labels.<key>)",
                        "services.web.placement.constraints[1]: unknown operator \"~\" (use ==, !=, =~, in, not-in, exists, >, >=, < or <=)",
                        "services.web.placement.constraints[2]: invalid regular expression \"[ssd\": Unclosed character class",
                        "services.web.placement.constraints[3]: operator != needs a value",
                        "services.web.placement.conflicts[0]: a service cannot conflict with itself (use distinctNodes)",
                        "services.web.placement.conflicts[1]: unknown service \"cache\""),
                bad("update strategy rules", """
                        stack: shop
                        services:
                          web:
                            image: nginx
                            replicas: 2
                            update: {strategy: canary, canaries: 3, canaryWeight: 150, healthyDeadline: 5s, minHealthyTime: 10s}
                        """,
                        "services.web.update.canaryWeight: must be <= 100",
                        "services.web.update.healthyDeadline: must be longer than minHealthyTime (10s)",
                        "services.web.update.canaries: must be <= replicas (2)"),
                bad("autoscale rules", """
                        stack: shop
                        services:
                          web:
                            image: nginx
                            replicas: 20
                            autoscale:
                              min: 5
                              max: 3
                              metrics:
                                - {type: cpu, target: 150}
                                - {type: custom, target: 10}
                                - {type: latency, target: fast}
                        """,
                        "services.web.autoscale.max: must be >= min (5)",
                        "services.web.autoscale.metrics[0].target: must be a percentage between 1 and 100, got \"150\"",
                        "services.web.autoscale.metrics[1].name: is required for custom metrics",
                        "services.web.autoscale.metrics[2].target: must be a duration like \"200ms\", got \"fast\""),
                bad("replicas outside the autoscale range", """
                        stack: shop
                        services:
                          web:
                            image: nginx
                            replicas: 20
                            autoscale: {max: 3, metrics: [{type: requestRate, target: 50}]}
                        """,
                        "services.web.replicas: must be between autoscale.min and autoscale.max (1..3)"),
                bad("health port must be a port of the task", """
                        stack: shop
                        services:
                          web:
                            image: nginx
                            ports: [{name: http, port: 80}]
                            health: {type: http, port: htp}
                          worker:
                            command: /bin/worker
                            health: {type: tcp}
                        """,
                        "services.web.health.port: unknown port \"htp\" (did you mean \"http\"?)",
                        "services.worker.health.port: is required (the task declares no ports)"),
                bad("env names and non-text values", """
                        stack: shop
                        services:
                          web:
                            image: nginx
                            env:
                              1BAD: x
                              GOOD: [a, b]
                        """,
                        "services.web.env.GOOD: must be a string, got a list",
                        "services.web.env.1BAD: invalid environment variable name \"1BAD\": use letters, digits and '_', not starting with a digit"),
                bad("secrets need exactly one source and configs one", """
                        stack: shop
                        configs:
                          a: {}
                          b: {data: x, file: ./b}
                        secrets:
                          s: {value: hunter2, file: ./s}
                          t: {labels: {team: x}}
                        """,
                        "configs.a.data: is required (or file)",
                        "configs.b.file: use either data or file, not both",
                        "secrets.s.file: use only one of value, data and file",
                        "secrets.t.value: is required (or data, or file)"),
                bad("job limits", """
                        stack: shop
                        jobs:
                          batch:
                            command: /bin/batch
                            completions: 0
                            retries: 2
                            backoffLimit: 3
                            restart: {policy: always}
                            placement: {global: true}
                        """,
                        "jobs.batch.completions: must be >= 1",
                        "jobs.batch.retries: use either retries or backoffLimit, not both",
                        "jobs.batch.restart.policy: jobs cannot restart always; use on-failure or never",
                        "jobs.batch.placement.global: jobs cannot be global"),
                bad("labels are validated and the stack label is reserved", """
                        stack: shop
                        services:
                          web:
                            image: nginx
                            labels: {"wharf.io/stack": other, "tier": "front end"}
                        """,
                        "services.web.labels.tier: invalid label value \"front end\": use up to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
                        "services.web.labels.wharf.io/stack: is set by Wharf to the stack name"),
                bad("bad resource names", """
                        stack: shop
                        services:
                          Web: {image: nginx}
                          this-name-is-far-too-long-for-a-dns-label-because-it-has-more-than-63: {image: nginx}
                        """,
                        "services.Web: invalid name \"Web\": use lowercase letters, digits and '-', start with a letter, end with a letter or digit",
                        "services.this-name-is-far-too-long-for-a-dns-label-because-it-has-more-than-63: must be at most 63 characters, got 69"),
                bad("sections of the wrong shape", """
                        stack: shop
                        services: [web]
                        jobs: {j: []}
                        routes: {r: }
                        """,
                        "services: must be a mapping, got a list",
                        "jobs.j: must be a mapping, got a list",
                        "routes.r: must not be empty"),
                bad("two mounts on one path or env var", """
                        stack: shop
                        volumes: [data]
                        configs: {c: {data: x}}
                        secrets: {s: {value: y}}
                        services:
                          web:
                            image: nginx
                            volumes: ["data:/data", {hostPath: /srv, target: /data}]
                            configs: [{name: c, env: TOKEN}, {name: c, path: /data}]
                            secrets: [{name: s, env: TOKEN}]
                        """,
                        "services.web.volumes[1].target: \"/data\" is already mounted by volumes[0]",
                        "services.web.configs[1].path: \"/data\" is already mounted by volumes[0]",
                        "services.web.secrets[0].env: \"TOKEN\" is already set by configs[0]"),
                bad("two routes for the same host and path", """
                        stack: shop
                        services:
                          web:
                            image: nginx
                            ports: [{name: http, port: 80}]
                            routes: [{host: shop.example.com}]
                        routes:
                          shop: {host: shop.example.com, path: /, service: web}
                        """,
                        "routes.shop: same host and path as services.web.routes[0] (shop.example.com /)"),
                bad("every problem at once", """
                        stack: shop
                        services:
                          web:
                            image: nginx
                            replicas: -2
                            replcas: 2
                            dependsOn: [nope]
                        jobs:
                          j: {command: /bin/j, parallelism: many}
                        """,
                        "services.web.replicas: must be >= 0",
                        "services.web.replcas: unknown field (did you mean \"replicas\"?)",
                        "jobs.j.parallelism: must be an integer, got string \"many\"",
                        "services.web.dependsOn[0]: unknown service or job \"nope\"")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsExactlyTheseProblems(Case c) {
        Decoded<StackDocument> d = StackFile.parse(c.yaml(), "test.yaml");
        assertThat(d.ok()).isFalse();
        assertThat(d.problems()).extracting(Problem::toString).containsExactlyElementsOf(c.problems());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badFilesAreInvalidRatherThanMalformed(Case c) {
        Decoded<StackDocument> d = StackFile.parse(c.yaml(), "test.yaml");
        assertThat(d).isInstanceOfSatisfying(Decoded.Invalid.class, i -> assertThat(i.malformed()).isFalse());
    }
}
