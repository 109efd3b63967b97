/*
 * Copyright 2026 the secure-agent authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.secureagent.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.microsoft.z3.ArithExpr;
import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.Context;
import com.microsoft.z3.Expr;
import com.microsoft.z3.FuncDecl;
import com.microsoft.z3.IntExpr;
import com.microsoft.z3.IntNum;
import com.microsoft.z3.Model;
import com.microsoft.z3.Solver;
import com.microsoft.z3.Sort;
import com.microsoft.z3.Status;
import io.secureagent.canonical.JsonValue;
import io.secureagent.canonical.JsonValue.JsonArray;
import io.secureagent.canonical.JsonValue.JsonBoolean;
import io.secureagent.canonical.JsonValue.JsonNumber;
import io.secureagent.canonical.JsonValue.JsonObject;
import io.secureagent.canonical.JsonValue.JsonString;
import io.secureagent.spec.Specification.CheckSpec;
import io.secureagent.spec.Specification.Clause;
import io.secureagent.spec.Specification.Invariant;

/**
 * The Z3 model of a {@link Specification}, generated from it: every trace of a bounded
 * number of deliveries, to the honest agents, of honest messages replayed, reordered,
 * redirected, reflected and delayed by the network, and of messages the attacker made
 * (signed only with the compromised agent's key). Each delivery runs the checks of the
 * direction it arrives in, clause by clause, as the specification writes them; a store is
 * written when the check that writes it passes, with every check before it.
 * <p>
 * What the model adds to the specification is only the environment: the attacker, what
 * honest agents send, the domains of the values, and the clocks.
 *
 * @author secure-agent authors
 */
final class Z3Model implements AutoCloseable {

	static final List<String> HEADER_INTS = List.of("sender", "recipient", "id", "corr", "type", "issued", "expires",
			"version", "sid", "seq", "suite", "best");

	static final List<String> HEADER_BOOLS = List.of("enc", "hsIds", "transcript", "schemaOk");

	static final List<String> DELIVERY_INTS = List.of("recv", "arrival", "clock", "storeClock", "t", "tlsPeer", "exch",
			"origin");

	private static final int REQUEST = 0;

	private static final int RESPONSE = 1;

	private final Context ctx = new Context();

	private final Solver solver;

	private final Specification spec;

	private final int deliveries;

	private final int originals;

	private final Map<String, Integer> agents = new LinkedHashMap<>();

	private final Map<String, Integer> kinds = new LinkedHashMap<>();

	private final Map<String, FuncDecl<?>> functions = new LinkedHashMap<>();

	private final List<Map<String, Expr<?>>> messages = new ArrayList<>();

	private final List<Map<String, Expr<?>>> origins = new ArrayList<>();

	private final List<BoolExpr> accepted = new ArrayList<>();

	private final List<Map<String, BoolExpr>> wrote = new ArrayList<>();

	private final List<Map<String, List<Step>>> steps = new ArrayList<>();

	Z3Model(Specification spec, int deliveries, int originals) {
		this.spec = spec;
		this.deliveries = deliveries;
		this.originals = originals;
		this.solver = this.ctx.mkSolver();
		List<String> agentNames = spec.agents();
		for (int i = 0; i < agentNames.size(); i++) {
			this.agents.put(agentNames.get(i), i);
		}
		List<String> kindNames = spec.kinds();
		for (int i = 0; i < kindNames.size(); i++) {
			this.kinds.put(kindNames.get(i), i);
		}
		declareFunctions();
		for (int k = 0; k < originals; k++) {
			this.origins.add(original(k));
		}
		for (int i = 0; i < deliveries; i++) {
			this.messages.add(delivery(i));
			verify(i);
		}
		axioms();
	}

	Z3Model(Specification spec) {
		this(spec, spec.bound("deliveries"), spec.bound("originals"));
	}

	Specification specification() {
		return this.spec;
	}

	int deliveries() {
		return this.deliveries;
	}

	/**
	 * Return the model as SMT-LIB 2, the form other solvers read.
	 * @return the assertions
	 */
	String smtLib() {
		return this.solver.toString();
	}

	/**
	 * Look for a trace on which an invariant fails.
	 * @param invariant the invariant
	 * @param assumptions further constraints on the trace, such as which kinds it may use
	 * @return the counterexample, or empty if the invariant holds within the bounds
	 */
	Optional<Counterexample> refute(Invariant invariant, List<JsonValue> assumptions) {
		this.solver.push();
		try {
			List<BoolExpr> violations = new ArrayList<>();
			for (int i = 0; i < this.deliveries; i++) {
				violations.add(this.ctx.mkNot(bool(invariant.holds(), Map.of("m", i))));
			}
			this.solver.add(this.ctx.mkOr(violations.toArray(BoolExpr[]::new)));
			for (JsonValue assumption : assumptions) {
				for (int i = 0; i < this.deliveries; i++) {
					this.solver.add(bool(assumption, Map.of("m", i)));
				}
			}
			Status status = this.solver.check();
			if (status == Status.UNKNOWN) {
				throw new IllegalStateException(
						"Z3 could not decide invariant " + invariant.id() + ": " + this.solver.getReasonUnknown());
			}
			if (status == Status.UNSATISFIABLE) {
				return Optional.empty();
			}
			return Optional.of(counterexample(this.solver.getModel(), invariant));
		}
		finally {
			this.solver.pop();
		}
	}

	/**
	 * Tell whether an invariant holds on a concrete trace.
	 * @param invariant the invariant
	 * @param trace the trace, whose values are fixed
	 * @return whether it holds on every delivery
	 */
	boolean holdsOn(Invariant invariant, Counterexample trace) {
		this.solver.push();
		try {
			fix(trace);
			return refute(invariant, List.of()).isEmpty();
		}
		finally {
			this.solver.pop();
		}
	}

	/**
	 * Decide every delivery of a concrete trace by this model's specification.
	 * @param trace the trace, whose values are fixed
	 * @return the decisions, in order
	 */
	List<Counterexample.Decision> decide(Counterexample trace) {
		this.solver.push();
		try {
			fix(trace);
			if (this.solver.check() != Status.SATISFIABLE) {
				throw new IllegalStateException("the trace is not one of this model's traces");
			}
			return counterexample(this.solver.getModel(), null).decisions();
		}
		finally {
			this.solver.pop();
		}
	}

	private void fix(Counterexample trace) {
		for (int k = 0; k < this.originals; k++) {
			Map<String, Object> values = trace.originals().get(k);
			for (String field : HEADER_INTS) {
				this.solver
					.add(this.ctx.mkEq(this.origins.get(k).get(field), this.ctx.mkInt((Integer) values.get(field))));
			}
			for (String field : HEADER_BOOLS) {
				this.solver
					.add(this.ctx.mkEq(this.origins.get(k).get(field), this.ctx.mkBool((Boolean) values.get(field))));
			}
		}
		for (int i = 0; i < this.deliveries; i++) {
			Map<String, Object> values = trace.deliveries().get(i);
			for (String field : concat(HEADER_INTS, DELIVERY_INTS)) {
				this.solver
					.add(this.ctx.mkEq(this.messages.get(i).get(field), this.ctx.mkInt((Integer) values.get(field))));
			}
			for (String field : HEADER_BOOLS) {
				this.solver
					.add(this.ctx.mkEq(this.messages.get(i).get(field), this.ctx.mkBool((Boolean) values.get(field))));
			}
		}
		trace.functions().forEach((name, table) -> table.forEach((args, value) -> {
			Expr<?> application = apply(name, args.stream().map(this.ctx::mkInt).toArray(Expr[]::new));
			Expr<?> fixed = (value instanceof Boolean bool) ? this.ctx.mkBool(bool) : this.ctx.mkInt((Integer) value);
			this.solver.add(this.ctx.mkEq(application, fixed));
		}));
	}

	private static List<String> concat(List<String> a, List<String> b) {
		List<String> all = new ArrayList<>(a);
		all.addAll(b);
		return all;
	}

	private void declareFunctions() {
		this.spec.functions().members().forEach((name, value) -> {
			JsonObject function = (JsonObject) value;
			int arity = Specification.array(function, "args").size();
			Sort[] domain = new Sort[arity];
			for (int i = 0; i < arity; i++) {
				domain[i] = this.ctx.getIntSort();
			}
			Sort range = Specification.string(function, "returns").equals("bool") ? this.ctx.getBoolSort()
					: this.ctx.getIntSort();
			this.functions.put(name, this.ctx.mkFuncDecl(name, domain, range));
		});
	}

	private void axioms() {
		for (JsonValue axiom : this.spec.axioms()) {
			for (int a = 0; a < this.agents.size(); a++) {
				for (int k = 0; k < this.kinds.size(); k++) {
					this.solver.add(bool(axiom, Map.of("_a", a, "_k", k)));
				}
			}
		}
	}

	private Map<String, Expr<?>> fields(String prefix) {
		Map<String, Expr<?>> fields = new LinkedHashMap<>();
		for (String field : HEADER_INTS) {
			fields.put(field, this.ctx.mkIntConst(prefix + "." + field));
		}
		for (String field : HEADER_BOOLS) {
			fields.put(field, this.ctx.mkBoolConst(prefix + "." + field));
		}
		IntExpr sender = (IntExpr) fields.get("sender");
		IntExpr recipient = (IntExpr) fields.get("recipient");
		this.solver.add(within(sender, 0, this.agents.size()), within(recipient, 0, this.agents.size()),
				within((IntExpr) fields.get("type"), 0, this.kinds.size()));
		for (String field : List.of("id", "corr", "sid", "seq", "suite", "best")) {
			this.solver.add(this.ctx.mkGe((IntExpr) fields.get(field), this.ctx.mkInt(0)));
		}
		return fields;
	}

	/** What an honest agent sends. */
	private Map<String, Expr<?>> original(int k) {
		Map<String, Expr<?>> o = fields("o" + k);
		IntExpr sender = (IntExpr) o.get("sender");
		this.solver.add(honest(sender));
		this.solver.add(this.ctx.mkNot(this.ctx.mkEq(o.get("recipient"), sender)));
		this.solver.add(this.ctx.mkNot(this.ctx.mkEq(o.get("recipient"), agent("outsider"))));
		this.solver.add(this.ctx.mkEq(o.get("version"), this.ctx.mkInt(constant("VERSION"))));
		this.solver.add(this.ctx.mkLt((IntExpr) o.get("issued"), (IntExpr) o.get("expires")));
		this.solver.add(this.ctx.mkLe(this.ctx.mkSub((IntExpr) o.get("expires"), (IntExpr) o.get("issued")),
				this.ctx.mkInt(constant("LIFETIME"))));
		this.solver.add((BoolExpr) o.get("hsIds"), (BoolExpr) o.get("transcript"),
				this.ctx.mkEq(o.get("suite"), o.get("best")));
		BoolExpr request = this.ctx.mkEq(o.get("corr"), o.get("id"));
		this.solver.add(this.ctx.mkImplies(request, kindIn(o.get("type"), "app", "init", "capreq")));
		this.solver
			.add(this.ctx.mkImplies(this.ctx.mkNot(request), kindIn(o.get("type"), "answer", "accept", "capdoc")));
		this.solver
			.add(this.ctx.mkImplies(kindIn(o.get("type"), "init", "accept"), this.ctx.mkNot((BoolExpr) o.get("enc"))));
		for (int l = 0; l < k; l++) {
			Map<String, Expr<?>> other = this.origins.get(l);
			BoolExpr sameSender = this.ctx.mkEq(other.get("sender"), sender);
			// honest ids are random: unique per sender, but for a message sent again
			// after its peer said it lost the session (then the same message, as the
			// specification's honest resend says); sequence numbers are unique per
			// session
			BoolExpr sameId = this.ctx.mkAnd(sameSender, this.ctx.mkEq(other.get("id"), o.get("id")));
			String resend = this.spec.honestResend();
			if (resend.equals("unique")) {
				this.solver.add(this.ctx.mkNot(sameId));
			}
			else {
				BoolExpr sameMessage = this.ctx.mkAnd(this.ctx.mkEq(other.get("recipient"), o.get("recipient")),
						this.ctx.mkEq(other.get("corr"), o.get("corr")),
						this.ctx.mkEq(other.get("type"), o.get("type")));
				if (resend.equals("same-expiry")) {
					sameMessage = this.ctx.mkAnd(sameMessage, this.ctx.mkEq(other.get("expires"), o.get("expires")));
				}
				else if (!resend.equals("any-expiry")) {
					throw new IllegalArgumentException("no honest resend " + resend);
				}
				this.solver.add(this.ctx.mkImplies(sameId, sameMessage));
			}
			this.solver.add(this.ctx.mkImplies(
					this.ctx.mkAnd(sameSender, (BoolExpr) other.get("enc"), (BoolExpr) o.get("enc"),
							this.ctx.mkEq(other.get("sid"), o.get("sid"))),
					this.ctx.mkNot(this.ctx.mkEq(other.get("seq"), o.get("seq")))));
		}
		return o;
	}

	/** Honest answers answer properly the honest requests they correlate with. */
	private void honestAnswers() {
		for (int k = 0; k < this.originals; k++) {
			Map<String, Expr<?>> answer = this.origins.get(k);
			for (int r = 0; r < this.originals; r++) {
				if (r == k) {
					continue;
				}
				Map<String, Expr<?>> request = this.origins.get(r);
				BoolExpr answers = this.ctx.mkAnd(this.ctx.mkNot(this.ctx.mkEq(answer.get("corr"), answer.get("id"))),
						this.ctx.mkEq(request.get("corr"), request.get("id")),
						this.ctx.mkEq(request.get("sender"), answer.get("recipient")),
						this.ctx.mkEq(request.get("id"), answer.get("corr")));
				this.solver.add(this.ctx.mkImplies(answers,
						this.ctx.mkAnd(this.ctx.mkEq(request.get("recipient"), answer.get("sender")),
								(BoolExpr) apply("expects", request.get("type"), answer.get("type")),
								this.ctx.mkEq(request.get("enc"), answer.get("enc")),
								this.ctx.mkImplies((BoolExpr) request.get("enc"),
										this.ctx.mkEq(request.get("sid"), answer.get("sid"))))));
			}
		}
	}

	private Map<String, Expr<?>> delivery(int i) {
		if (i == 0) {
			honestAnswers();
		}
		Map<String, Expr<?>> m = fields("d" + i);
		for (String field : DELIVERY_INTS) {
			m.put(field, this.ctx.mkIntConst("d" + i + "." + field));
		}
		IntExpr recv = (IntExpr) m.get("recv");
		List<BoolExpr> receivers = new ArrayList<>();
		for (String receiver : this.spec.receivers()) {
			receivers.add(this.ctx.mkEq(recv, agent(receiver)));
		}
		this.solver.add(this.ctx.mkOr(receivers.toArray(BoolExpr[]::new)));
		this.solver.add(within((IntExpr) m.get("arrival"), 0, 2),
				within((IntExpr) m.get("tlsPeer"), 0, this.agents.size()),
				within((IntExpr) m.get("exch"), 0, this.originals),
				within((IntExpr) m.get("origin"), -1, this.originals));
		// the clocks: true time never goes back; each reading is within the clock error
		// of it; one store's own clock never goes back
		IntExpr t = (IntExpr) m.get("t");
		int error = constant("CLOCK_ERROR");
		this.solver.add(this.ctx.mkGe(t, this.ctx.mkInt(0)));
		this.solver.add(near((IntExpr) m.get("clock"), t, error), near((IntExpr) m.get("storeClock"), t, error));
		for (int j = 0; j < i; j++) {
			Map<String, Expr<?>> p = this.messages.get(j);
			this.solver.add(this.ctx.mkLe((IntExpr) p.get("t"), t));
			this.solver.add(this.ctx.mkImplies(this.ctx.mkEq(p.get("recv"), recv),
					this.ctx.mkLe((IntExpr) p.get("storeClock"), (IntExpr) m.get("storeClock"))));
		}
		// a copy of an honest message is that message, header and all; anything else
		// is the attacker's
		IntExpr origin = (IntExpr) m.get("origin");
		for (int k = 0; k < this.originals; k++) {
			List<BoolExpr> same = new ArrayList<>();
			for (String field : HEADER_INTS) {
				same.add(this.ctx.mkEq(m.get(field), this.origins.get(k).get(field)));
			}
			for (String field : HEADER_BOOLS) {
				same.add(this.ctx.mkEq(m.get(field), this.origins.get(k).get(field)));
			}
			this.solver.add(this.ctx.mkImplies(this.ctx.mkEq(origin, this.ctx.mkInt(k)),
					this.ctx.mkAnd(same.toArray(BoolExpr[]::new))));
		}
		// an answer is verified by the client against a request it sent
		this.solver.add(this.ctx.mkImplies(this.ctx.mkEq(m.get("arrival"), this.ctx.mkInt(RESPONSE)),
				this.ctx.mkAnd(this.ctx.mkEq(exchangeField(m, "sender"), recv),
						this.ctx.mkEq(exchangeField(m, "corr"), exchangeField(m, "id")))));
		return m;
	}

	private void verify(int i) {
		Map<String, Expr<?>> m = this.messages.get(i);
		Map<String, List<Step>> byDirection = new LinkedHashMap<>();
		Map<String, BoolExpr> writes = new LinkedHashMap<>();
		for (String store : this.spec.stores().members().keySet()) {
			writes.put(store, this.ctx.mkFalse());
		}
		List<BoolExpr> acceptance = new ArrayList<>();
		for (String direction : Specification.DIRECTIONS) {
			int code = direction.equals("request") ? REQUEST : RESPONSE;
			BoolExpr arrives = this.ctx.mkEq(m.get("arrival"), this.ctx.mkInt(code));
			List<Step> list = new ArrayList<>();
			BoolExpr prefix = this.ctx.mkTrue();
			for (CheckSpec check : this.spec.checks(direction)) {
				for (int c = 0; c < check.clauses().size(); c++) {
					Clause clause = check.clauses().get(c);
					BoolExpr pass = bool(clause.pass(), Map.of("m", i));
					list.add(new Step(check.name(), c, clause.reason(), pass));
					prefix = this.ctx.mkAnd(prefix, pass);
				}
				for (String store : check.writes()) {
					JsonValue when = (JsonValue) Specification.object(this.spec.stores(), store).get("when");
					BoolExpr condition = (when != null) ? bool(when, Map.of("m", i)) : this.ctx.mkTrue();
					writes.put(store, this.ctx.mkOr(writes.get(store), this.ctx.mkAnd(arrives, prefix, condition)));
				}
			}
			acceptance.add(this.ctx.mkAnd(arrives, prefix));
			byDirection.put(direction, list);
		}
		this.steps.add(byDirection);
		this.accepted.add(this.ctx.mkOr(acceptance.toArray(BoolExpr[]::new)));
		this.wrote.add(writes);
	}

	private BoolExpr honest(IntExpr agent) {
		List<BoolExpr> any = new ArrayList<>();
		for (String name : this.spec.agents()) {
			if (this.spec.role(name).equals("honest")) {
				any.add(this.ctx.mkEq(agent, agent(name)));
			}
		}
		return this.ctx.mkOr(any.toArray(BoolExpr[]::new));
	}

	private BoolExpr within(IntExpr value, int from, int to) {
		return this.ctx.mkAnd(this.ctx.mkGe(value, this.ctx.mkInt(from)), this.ctx.mkLt(value, this.ctx.mkInt(to)));
	}

	private BoolExpr near(IntExpr value, IntExpr reference, int error) {
		return this.ctx.mkAnd(this.ctx.mkLe(value, this.ctx.mkAdd(reference, this.ctx.mkInt(error))),
				this.ctx.mkGe(value, this.ctx.mkSub(reference, this.ctx.mkInt(error))));
	}

	private IntNum agent(String name) {
		Integer index = this.agents.get(name);
		if (index == null) {
			throw new IllegalArgumentException("no agent " + name);
		}
		return this.ctx.mkInt(index);
	}

	private BoolExpr kindIn(Expr<?> type, String... names) {
		List<BoolExpr> any = new ArrayList<>();
		for (String name : names) {
			any.add(this.ctx.mkEq(type, this.ctx.mkInt(this.kinds.get(name))));
		}
		return this.ctx.mkOr(any.toArray(BoolExpr[]::new));
	}

	private int constant(String name) {
		Integer value = this.spec.integerConstants().get(name);
		if (value == null) {
			throw new IllegalArgumentException("no constant " + name);
		}
		return value;
	}

	private Expr<?> exchangeField(Map<String, Expr<?>> m, String field) {
		Expr<?> value = this.origins.get(this.originals - 1).get(field);
		for (int k = this.originals - 2; k >= 0; k--) {
			value = this.ctx.mkITE(this.ctx.mkEq(m.get("exch"), this.ctx.mkInt(k)), this.origins.get(k).get(field),
					value);
		}
		return value;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private Expr<?> apply(String name, Expr<?>... args) {
		FuncDecl function = this.functions.get(name);
		if (function == null) {
			throw new IllegalArgumentException("no function " + name);
		}
		return function.apply(args);
	}

	BoolExpr bool(JsonValue expression, Map<String, Integer> env) {
		Expr<?> value = eval(expression, env);
		if (!(value instanceof BoolExpr bool)) {
			throw new IllegalArgumentException("not a condition: " + expression);
		}
		return bool;
	}

	@SuppressWarnings("unchecked")
	private ArithExpr<com.microsoft.z3.IntSort> integer(JsonValue expression, Map<String, Integer> env) {
		Expr<?> value = eval(expression, env);
		if (!(value instanceof IntExpr integer)) {
			throw new IllegalArgumentException("not a number: " + expression);
		}
		return integer;
	}

	private Expr<?> eval(JsonValue expression, Map<String, Integer> env) {
		if (expression instanceof JsonBoolean bool) {
			return this.ctx.mkBool(bool.value());
		}
		if (expression instanceof JsonNumber number) {
			return this.ctx.mkInt((long) number.value());
		}
		if (expression instanceof JsonString string) {
			return atom(string.value(), env);
		}
		if (!(expression instanceof JsonArray array) || array.elements().isEmpty()
				|| !(array.elements().get(0) instanceof JsonString head)) {
			throw new IllegalArgumentException("not an expression: " + expression);
		}
		List<JsonValue> args = array.elements().subList(1, array.elements().size());
		String op = head.value();
		switch (op) {
			case "and", "or" -> {
				BoolExpr[] operands = args.stream().map((arg) -> bool(arg, env)).toArray(BoolExpr[]::new);
				return op.equals("and") ? this.ctx.mkAnd(operands) : this.ctx.mkOr(operands);
			}
			case "not" -> {
				return this.ctx.mkNot(bool(args.get(0), env));
			}
			case "implies" -> {
				return this.ctx.mkImplies(bool(args.get(0), env), bool(args.get(1), env));
			}
			case "ite" -> {
				return this.ctx.mkITE(bool(args.get(0), env), eval(args.get(1), env), eval(args.get(2), env));
			}
			case "=" -> {
				return this.ctx.mkEq(eval(args.get(0), env), eval(args.get(1), env));
			}
			case "!=" -> {
				return this.ctx.mkNot(this.ctx.mkEq(eval(args.get(0), env), eval(args.get(1), env)));
			}
			case "<" -> {
				return this.ctx.mkLt(integer(args.get(0), env), integer(args.get(1), env));
			}
			case "<=" -> {
				return this.ctx.mkLe(integer(args.get(0), env), integer(args.get(1), env));
			}
			case ">" -> {
				return this.ctx.mkGt(integer(args.get(0), env), integer(args.get(1), env));
			}
			case ">=" -> {
				return this.ctx.mkGe(integer(args.get(0), env), integer(args.get(1), env));
			}
			case "+" -> {
				return this.ctx.mkAdd(integer(args.get(0), env), integer(args.get(1), env));
			}
			case "-" -> {
				return this.ctx.mkSub(integer(args.get(0), env), integer(args.get(1), env));
			}
			case "in" -> {
				Expr<?> value = eval(args.get(0), env);
				BoolExpr[] any = args.subList(1, args.size())
					.stream()
					.map((arg) -> this.ctx.mkEq(value, eval(arg, env)))
					.toArray(BoolExpr[]::new);
				return this.ctx.mkOr(any);
			}
			case "exists" -> {
				return exists(args, env);
			}
			case "wrote" -> {
				int index = delivery(((JsonString) args.get(0)).value(), env);
				String store = ((JsonString) args.get(1)).value();
				BoolExpr written = this.wrote.get(index).get(store);
				if (written == null) {
					throw new IllegalArgumentException("no store " + store);
				}
				return written;
			}
			default -> {
				if (this.spec.macros().get(op) instanceof JsonObject macro) {
					List<String> params = Specification.strings(Specification.array(macro, "params"));
					Map<String, Integer> bound = new HashMap<>(env);
					for (int i = 0; i < params.size(); i++) {
						bound.put(params.get(i), delivery(((JsonString) args.get(i)).value(), env));
					}
					return eval(macro.get("expr"), bound);
				}
				return apply(op, args.stream().map((arg) -> eval(arg, env)).toArray(Expr[]::new));
			}
		}
	}

	private BoolExpr exists(List<JsonValue> args, Map<String, Integer> env) {
		String variable = ((JsonString) args.get(0)).value();
		String range = ((JsonString) args.get(1)).value();
		int from;
		int to;
		if (range.equals("before")) {
			from = 0;
			to = delivery(((JsonString) args.get(2)).value(), env);
		}
		else if (range.equals("between")) {
			List<JsonValue> limits = ((JsonArray) args.get(2)).elements();
			from = delivery(((JsonString) limits.get(0)).value(), env) + 1;
			to = delivery(((JsonString) limits.get(1)).value(), env);
		}
		else {
			throw new IllegalArgumentException("no range " + range);
		}
		List<BoolExpr> any = new ArrayList<>();
		for (int j = from; j < to; j++) {
			Map<String, Integer> bound = new HashMap<>(env);
			bound.put(variable, j);
			any.add(bool(args.get(3), bound));
		}
		return any.isEmpty() ? this.ctx.mkFalse() : this.ctx.mkOr(any.toArray(BoolExpr[]::new));
	}

	private int delivery(String variable, Map<String, Integer> env) {
		Integer index = env.get(variable);
		if (index == null) {
			throw new IllegalArgumentException("unbound " + variable);
		}
		return index;
	}

	private Expr<?> atom(String atom, Map<String, Integer> env) {
		if (atom.startsWith("$")) {
			String name = atom.substring(1);
			Boolean flag = this.spec.booleanConstants().get(name);
			return (flag != null) ? this.ctx.mkBool(flag) : this.ctx.mkInt(constant(name));
		}
		if (atom.startsWith("#")) {
			String name = atom.substring(1);
			if (name.equals("request") || name.equals("response")) {
				return this.ctx.mkInt(name.equals("request") ? REQUEST : RESPONSE);
			}
			Integer index = this.agents.containsKey(name) ? this.agents.get(name) : this.kinds.get(name);
			if (index == null) {
				throw new IllegalArgumentException("no symbol " + atom);
			}
			return this.ctx.mkInt(index);
		}
		if (atom.startsWith("_")) {
			return this.ctx.mkInt(delivery(atom, env));
		}
		int dot = atom.indexOf('.');
		if (dot < 0) {
			throw new IllegalArgumentException("no atom " + atom);
		}
		String variable = atom.substring(0, dot);
		String field = atom.substring(dot + 1);
		if (variable.equals("e")) {
			return exchangeField(this.messages.get(delivery("m", env)), field);
		}
		int index = delivery(variable, env);
		Map<String, Expr<?>> message = this.messages.get(index);
		return switch (field) {
			case "accepted", "effect" -> this.accepted.get(index);
			case "genuine" -> this.ctx.mkGe((IntExpr) message.get("origin"), this.ctx.mkInt(0));
			default -> {
				Expr<?> value = message.get(field);
				if (value == null) {
					throw new IllegalArgumentException("no field " + field);
				}
				yield value;
			}
		};
	}

	private Counterexample counterexample(Model model, Invariant invariant) {
		List<Map<String, Object>> originals = new ArrayList<>();
		for (Map<String, Expr<?>> o : this.origins) {
			originals.add(values(model, o));
		}
		List<Map<String, Object>> deliveries = new ArrayList<>();
		List<Counterexample.Decision> decisions = new ArrayList<>();
		for (int i = 0; i < this.deliveries; i++) {
			deliveries.add(values(model, this.messages.get(i)));
			boolean isAccepted = model.eval(this.accepted.get(i), true).isTrue();
			String direction = ((IntNum) model.eval(this.messages.get(i).get("arrival"), true)).getInt() == REQUEST
					? "request" : "response";
			String check = null;
			String reason = null;
			for (Step step : this.steps.get(i).get(direction)) {
				if (!model.eval(step.pass(), true).isTrue()) {
					check = step.check();
					reason = step.reason();
					break;
				}
			}
			List<String> written = new ArrayList<>();
			this.wrote.get(i).forEach((store, expression) -> {
				if (model.eval(expression, true).isTrue()) {
					written.add(store);
				}
			});
			decisions.add(new Counterexample.Decision(direction, isAccepted, check, reason, written));
		}
		Map<String, Map<List<Integer>, Object>> tables = new LinkedHashMap<>();
		for (String name : this.functions.keySet()) {
			JsonObject function = Specification.object(this.spec.functions(), name);
			List<String> domains = Specification.strings(Specification.array(function, "args"));
			Map<List<Integer>, Object> table = new LinkedHashMap<>();
			for (List<Integer> args : tuples(domains)) {
				Expr<?> value = model.eval(apply(name, args.stream().map(this.ctx::mkInt).toArray(Expr[]::new)), true);
				table.put(args, (value instanceof IntNum number) ? (Object) number.getInt() : (Object) value.isTrue());
			}
			tables.put(name, table);
		}
		return new Counterexample(this.spec.label(), (invariant != null) ? invariant.id() : 0, this.spec.agents(),
				this.spec.kinds(), originals, deliveries, decisions, tables);
	}

	private List<List<Integer>> tuples(List<String> domains) {
		List<List<Integer>> tuples = new ArrayList<>();
		tuples.add(List.of());
		for (String domain : domains) {
			int size = domain.equals("agent") ? this.agents.size() : this.kinds.size();
			List<List<Integer>> longer = new ArrayList<>();
			for (List<Integer> tuple : tuples) {
				for (int v = 0; v < size; v++) {
					List<Integer> next = new ArrayList<>(tuple);
					next.add(v);
					longer.add(List.copyOf(next));
				}
			}
			tuples = longer;
		}
		return tuples;
	}

	private static Map<String, Object> values(Model model, Map<String, Expr<?>> fields) {
		Map<String, Object> values = new LinkedHashMap<>();
		fields.forEach((name, expression) -> {
			Expr<?> value = model.eval(expression, true);
			values.put(name, (value instanceof IntNum number) ? (Object) number.getInt() : (Object) value.isTrue());
		});
		return values;
	}

	@Override
	public void close() {
		this.ctx.close();
	}

	private record Step(String check, int clause, String reason, BoolExpr pass) {
	}

}
