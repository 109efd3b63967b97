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
package io.secureagent.web;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.secureagent.envelope.Receipt;
import io.secureagent.messaging.AgentMessage;
import io.secureagent.messaging.AgentMessageHandler;
import io.secureagent.messaging.MessageTypes;
import io.secureagent.negotiation.CapabilityDocument;
import io.secureagent.session.Handshake;
import io.secureagent.verification.PayloadBinder;
import io.secureagent.verification.VerifiedMessage;
import io.spiffe.spiffeid.SpiffeId;
import org.reactivestreams.Publisher;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.access.annotation.Secured;
import org.springframework.security.access.prepost.PostAuthorize;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authorization.method.AuthorizationAdvisor;
import org.springframework.util.ClassUtils;
import reactor.core.publisher.Mono;

/**
 * Finds the {@link AgentMessageHandler} methods of the application's beans once they are
 * all created, registers their payload and response records as message types, and invokes
 * them. Each message type has at most one handler; a second is a startup error.
 *
 * @author secure-agent authors
 */
public final class AgentMessageHandlers implements SmartInitializingSingleton {

	private static final List<Class<? extends Annotation>> SECURITY_ANNOTATIONS = List.of(PreAuthorize.class,
			PostAuthorize.class, Secured.class);

	private final ConfigurableListableBeanFactory beanFactory;

	private final MessageTypes types;

	private final Map<String, HandlerMethod> handlers = new ConcurrentHashMap<>();

	public AgentMessageHandlers(ConfigurableListableBeanFactory beanFactory, MessageTypes types) {
		this.beanFactory = beanFactory;
		this.types = types;
	}

	@Override
	public void afterSingletonsInstantiated() {
		for (String beanName : this.beanFactory.getBeanDefinitionNames()) {
			Class<?> beanType = this.beanFactory.getType(beanName);
			if (beanType == null) {
				continue;
			}
			Class<?> userType = ClassUtils.getUserClass(beanType);
			Map<Method, AgentMessageHandler> methods = MethodIntrospector.selectMethods(userType,
					(MethodIntrospector.MetadataLookup<AgentMessageHandler>) (method) -> AnnotatedElementUtils
						.findMergedAnnotation(method, AgentMessageHandler.class));
			methods.keySet().forEach((method) -> register(beanName, method));
			methods.keySet().forEach((method) -> requireMethodSecurity(beanName, userType, method));
		}
	}

	/**
	 * Refuse to start when a handler carries a method-security annotation that nothing
	 * enforces: without method security on, {@code @PreAuthorize} is ignored and the
	 * handler would serve every sender the rules admit.
	 */
	private void requireMethodSecurity(String beanName, Class<?> userType, Method method) {
		boolean annotated = SECURITY_ANNOTATIONS.stream()
			.anyMatch((annotation) -> AnnotatedElementUtils.hasAnnotation(method, annotation)
					|| AnnotatedElementUtils.hasAnnotation(userType, annotation));
		if (!annotated) {
			return;
		}
		Object bean = this.beanFactory.getBean(beanName);
		// Spring Security's advisors (wrapped, deferred) on the bean's proxy
		boolean enforced = bean instanceof Advised advised && Arrays.stream(advised.getAdvisors())
			.anyMatch((advisor) -> advisor instanceof AuthorizationAdvisor || fromSpringSecurity(advisor)
					|| fromSpringSecurity(advisor.getAdvice()));
		if (!enforced) {
			throw new MethodSecurityOffException(method);
		}
	}

	private void register(String beanName, Method method) {
		Class<?> payloadType = null;
		for (Class<?> parameter : method.getParameterTypes()) {
			if (parameter.isAnnotationPresent(AgentMessage.class)) {
				if (payloadType != null) {
					throw new IllegalStateException(method + " takes more than one @AgentMessage payload");
				}
				payloadType = parameter;
			}
			else if (parameter != VerifiedMessage.class && parameter != SpiffeId.class) {
				throw new IllegalStateException(
						method + " takes a parameter of unsupported type " + parameter.getName());
			}
		}
		if (payloadType == null) {
			throw new IllegalStateException(method + " takes no @AgentMessage payload");
		}
		Class<?> responseType = responseType(method);
		boolean oneWay = responseType == void.class || responseType == Void.class;
		if (!oneWay && (responseType == null || !responseType.isAnnotationPresent(AgentMessage.class))) {
			throw new IllegalStateException(method
					+ " must return an @AgentMessage record or a Mono of one, or void or Mono<Void> for a one-way message");
		}
		if (!oneWay) {
			String answerType = this.types.register(responseType);
			if (reserved(answerType)) {
				throw new IllegalStateException(method + " answers '" + answerType + "', a type the protocol reserves");
			}
		}
		String type = this.types.register(payloadType);
		if (reserved(type)) {
			throw new IllegalStateException(method + " handles '" + type + "', a type the protocol reserves");
		}
		HandlerMethod previous = this.handlers.putIfAbsent(type, new HandlerMethod(beanName, method, oneWay));
		if (previous != null) {
			throw new IllegalStateException(
					"message type '" + type + "' has two handlers: " + previous.method() + " and " + method);
		}
	}

	private static boolean fromSpringSecurity(Object component) {
		return component.getClass().getName().startsWith("org.springframework.security.");
	}

	private static boolean reserved(String type) {
		return Handshake.isHandshake(type) || CapabilityDocument.isCapabilityType(type) || Receipt.TYPE.equals(type);
	}

	private static Class<?> responseType(Method method) {
		Type returnType = method.getGenericReturnType();
		if (returnType instanceof ParameterizedType parameterized
				&& Publisher.class.isAssignableFrom((Class<?>) parameterized.getRawType())
				&& parameterized.getActualTypeArguments()[0] instanceof Class<?> element) {
			return element;
		}
		return (returnType instanceof Class<?> plain) ? plain : null;
	}

	/**
	 * Return the message types that have a handler: what this agent accepts.
	 * @return the wire types
	 */
	public Set<String> handledTypes() {
		return Set.copyOf(this.handlers.keySet());
	}

	/**
	 * Whether a handler takes a message type: the request types this agent accepts.
	 * @param type the wire type
	 * @return whether it is handled here
	 */
	public boolean handles(String type) {
		return this.handlers.containsKey(type);
	}

	/**
	 * Whether a handled type is one-way: its handler returns nothing, and the message is
	 * answered with a signed {@link Receipt}.
	 * @param type the wire type
	 * @return whether it is one-way
	 */
	public boolean isOneWay(String type) {
		HandlerMethod handler = this.handlers.get(type);
		return handler != null && handler.oneWay();
	}

	/**
	 * Return the payload record of each handled type.
	 * @return wire types and their records
	 */
	public Map<String, Class<?>> handledRecords() {
		Map<String, Class<?>> records = new TreeMap<>();
		this.handlers.keySet()
			.forEach((type) -> this.types.find(type).ifPresent((record) -> records.put(type, record)));
		return records;
	}

	/**
	 * Invoke the handler of a verified message.
	 * @param message the message, with its bound payload
	 * @return the response record, or an error: {@link NoHandlerException} if the type
	 * has no handler, whatever the handler raised otherwise
	 */
	public Mono<Object> invoke(VerifiedMessage message) {
		HandlerMethod handler = this.handlers.get(message.header().type());
		if (handler == null) {
			return Mono.error(new NoHandlerException());
		}
		return Mono.defer(() -> {
			Object bean = this.beanFactory.getBean(handler.beanName());
			Method invocable = AopUtils.selectInvocableMethod(handler.method(), bean.getClass());
			Object[] arguments = arguments(invocable, message);
			Object result;
			try {
				result = invocable.invoke(bean, arguments);
			}
			catch (InvocationTargetException ex) {
				return Mono.error(ex.getTargetException());
			}
			catch (IllegalAccessException ex) {
				return Mono.error(ex);
			}
			if (result instanceof Publisher<?> publisher) {
				return Mono.from(publisher).map(Object.class::cast);
			}
			return Mono.justOrEmpty(result);
		});
	}

	private static Object[] arguments(Method method, VerifiedMessage message) {
		Class<?>[] parameters = method.getParameterTypes();
		Object[] arguments = new Object[parameters.length];
		for (int i = 0; i < parameters.length; i++) {
			if (parameters[i] == VerifiedMessage.class) {
				arguments[i] = message;
			}
			else if (parameters[i] == SpiffeId.class) {
				arguments[i] = message.sender().spiffeId();
			}
			else {
				arguments[i] = Optional.ofNullable(message.attributes().get(PayloadBinder.ATTRIBUTE))
					.filter(parameters[i]::isInstance)
					.orElseThrow(() -> new IllegalStateException("verified message has no bound payload"));
			}
		}
		return arguments;
	}

	private record HandlerMethod(String beanName, Method method, boolean oneWay) {

	}

	/**
	 * Raised when a verified message has no handler here.
	 */
	public static final class NoHandlerException extends RuntimeException {

		NoHandlerException() {
			super("no handler for this message type", null, false, false);
		}

	}

}
