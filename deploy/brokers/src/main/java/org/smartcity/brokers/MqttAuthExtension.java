package org.smartcity.brokers;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ClientBasedInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded broker's authentication and authorization: a HiveMQ embedded extension that asks
 * {@link MqttAccessControl} about every CONNECT, PUBLISH and SUBSCRIBE. A refused publish gets
 * PUBACK reason 0x87 (not authorized) and reaches no subscriber; a refused subscription gets SUBACK
 * 0x87; a refused connection gets CONNACK 0x86 (bad user name or password), 0x87 (anonymous, or a
 * will message on a topic the user may not write) or 0x85 (client id of another user). Passwords
 * are never logged.
 *
 * <p>Publishes are checked by an inbound interceptor rather than a {@code PublishAuthorizer}:
 * HiveMQ CE disconnects a client after any publish its authorizer refuses, so one misaddressed
 * reading would drop a gateway's connection with all its messages in flight. The interceptor
 * answers 0x87 and the connection stays, as with Mosquitto.
 */
final class MqttAuthExtension
        implements ExtensionMain,
                SimpleAuthenticator,
                SubscriptionAuthorizer,
                PublishInboundInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(MqttAuthExtension.class);

    /** Connection attribute holding the authenticated user name; absent for anonymous clients. */
    private static final String USER_ATTRIBUTE = "smartcity.mqtt.user";

    private final MqttAccessControl access;

    private MqttAuthExtension(MqttAccessControl access) {
        this.access = access;
    }

    /** The extension to register with {@code EmbeddedHiveMQ.builder().withEmbeddedExtension}. */
    static EmbeddedExtension of(MqttAccessControl access) {
        return EmbeddedExtension.builder()
                .withId("smartcity-auth")
                .withName("Smart-city users and ACL")
                .withVersion("1")
                .withPriority(1000)
                .withStartPriority(1000)
                .withExtensionMain(new MqttAuthExtension(access))
                .build();
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        Services.securityRegistry().setAuthenticatorProvider(in -> this);
        Services.securityRegistry().setAuthorizerProvider(in -> this);
        Services.initializerRegistry()
                .setClientInitializer((in, client) -> client.addPublishInboundInterceptor(this));
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {}

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        ConnectPacket connect = input.getConnectPacket();
        String clientId = connect.getClientId();
        String user = connect.getUserName().orElse(null);
        byte[] password = connect.getPassword().map(MqttAuthExtension::bytes).orElse(null);
        MqttAccessControl.Refusal refusal = access.authenticate(clientId, user, password);
        if (refusal == null
                && connect.getWillPublish()
                        .map(will -> !access.mayPublish(user, clientId, will.getTopic()))
                        .orElse(false)) {
            refusal = MqttAccessControl.Refusal.WILL_NOT_ALLOWED;
        }
        if (refusal == null) {
            if (user != null) {
                input.getConnectionInformation()
                        .getConnectionAttributeStore()
                        .putAsString(USER_ATTRIBUTE, user);
            }
            // Publishes are the interceptor's to refuse (see above), so HiveMQ's own check passes.
            output.getDefaultPermissions().setDefaultBehaviour(DefaultAuthorizationBehaviour.ALLOW);
            output.authenticateSuccessfully();
            return;
        }
        String who =
                "client " + clientId + (user == null ? " (anonymous)" : " (user " + user + ")");
        switch (refusal) {
            case BAD_USER_NAME_OR_PASSWORD -> {
                LOG.warn("Refused {}: bad user name or password", who);
                output.failAuthentication(
                        ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
            }
            case ANONYMOUS_NOT_ALLOWED -> {
                LOG.warn("Refused {}: anonymous access is off", who);
                output.failAuthentication(
                        ConnackReasonCode.NOT_AUTHORIZED, "log in with a user name and password");
            }
            case WILL_NOT_ALLOWED -> {
                LOG.warn("Refused {}: its will message is for a topic it may not write", who);
                output.failAuthentication(
                        ConnackReasonCode.NOT_AUTHORIZED, "will topic not allowed");
            }
            case CLIENT_ID_NOT_OWNED -> {
                LOG.warn("Refused {}: the client id belongs to another user", who);
                output.failAuthentication(
                        ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                        "client id must be the user name or start with the user name and '-'");
            }
        }
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        String topic = input.getPublishPacket().getTopic();
        String clientId = input.getClientInformation().getClientId();
        if (!access.mayPublish(user(input), clientId, topic)) {
            // Debug only: a misconfigured device would write this line for every reading.
            LOG.debug("Refused publish of {} to {}", clientId, topic);
            output.preventPublishDelivery(
                    AckReasonCode.NOT_AUTHORIZED, "not allowed to publish to this topic");
        }
    }

    @Override
    public void authorizeSubscribe(
            SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
        String filter = input.getSubscription().getTopicFilter();
        String clientId = input.getClientInformation().getClientId();
        if (access.maySubscribe(user(input), clientId, filter)) {
            output.authorizeSuccessfully();
        } else {
            LOG.info("Refused subscription of {} to {}", clientId, filter);
            output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, "not allowed to read this");
        }
    }

    private static String user(ClientBasedInput input) {
        return input.getConnectionInformation()
                .getConnectionAttributeStore()
                .getAsString(USER_ATTRIBUTE)
                .orElse(null);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.asReadOnlyBuffer();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
