package org.smartcity.brokers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The config.xml the broker writes for HiveMQ: well-formed, with file persistence. */
class MqttBrokerConfigTest {

    @Test
    void isWellFormedXmlWithFilePersistence() throws Exception {
        MqttBrokerMain.Options options =
                MqttBrokerMain.Options.parse(new String[] {"--allow-anonymous"});
        String xml = MqttBrokerMain.config("127.0.0.1", 1884, options);
        Document doc =
                DocumentBuilderFactory.newInstance()
                        .newDocumentBuilder()
                        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getElementsByTagName("mode").item(0).getTextContent()).isEqualTo("file");
        assertThat(doc.getElementsByTagName("port").item(0).getTextContent()).isEqualTo("1884");
    }
}
