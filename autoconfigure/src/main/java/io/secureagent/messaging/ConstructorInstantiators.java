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
package io.secureagent.messaging;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.deser.ValueInstantiators;
import tools.jackson.databind.deser.std.StdValueInstantiator;
import tools.jackson.databind.introspect.AnnotatedConstructor;
import tools.jackson.databind.module.SimpleModule;

/**
 * Makes a record (or any value with a constructor as its creator) by calling that
 * constructor through reflection, as Jackson would, but without
 * {@code MethodHandle.invokeWithArguments}: Jackson 3.1 calls a creator of several
 * arguments that way, which builds a spreading method handle, and allocates its method
 * types, for every object it makes. Everything else is Jackson's: which constructor, the
 * arguments, and how a constructor's exception is reported.
 *
 * @author secure-agent authors
 */
final class ConstructorInstantiators extends ValueInstantiators.Base {

	/**
	 * A module that installs these instantiators.
	 * @return the module
	 */
	static SimpleModule module() {
		return new SimpleModule("secure-agent-constructors") {

			@Override
			public void setupModule(SetupContext context) {
				super.setupModule(context);
				context.addValueInstantiators(new ConstructorInstantiators());
			}

		};
	}

	@Override
	public ValueInstantiator modifyValueInstantiator(DeserializationConfig config, BeanDescription.Supplier beanDescRef,
			ValueInstantiator defaultInstantiator) {
		if (defaultInstantiator.getClass() == StdValueInstantiator.class
				&& defaultInstantiator.getWithArgsCreator() instanceof AnnotatedConstructor creator) {
			return new Reflective((StdValueInstantiator) defaultInstantiator, creator.getAnnotated());
		}
		return defaultInstantiator;
	}

	private static final class Reflective extends StdValueInstantiator {

		private final Constructor<?> constructor;

		Reflective(StdValueInstantiator from, Constructor<?> constructor) {
			super(from);
			this.constructor = constructor;
		}

		@Override
		public Object createFromObjectWith(DeserializationContext ctxt, Object[] args) throws JacksonException {
			try {
				return this.constructor.newInstance(args);
			}
			catch (InvocationTargetException ex) {
				return problem(ctxt, args, (ex.getCause() != null) ? ex.getCause() : ex);
			}
			catch (IllegalAccessException ex) {
				// not opened to reflection: Jackson's own way
				return super.createFromObjectWith(ctxt, args);
			}
			catch (ReflectiveOperationException | IllegalArgumentException ex) {
				return problem(ctxt, args, ex);
			}
		}

		private @Nullable Object problem(DeserializationContext ctxt, Object[] args, Throwable cause) {
			if (cause instanceof Error error) {
				throw error;
			}
			return ctxt.handleInstantiationProblem(getValueClass(), args, rewrapCtorProblem(ctxt, cause));
		}

	}

}
