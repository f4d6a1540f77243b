using System.Buffers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace LinuxIoMux.AspNetCore.Internal;

/// <summary>The connection features Kestrel asks for, all served by the connection itself.</summary>
internal sealed partial class Connection : IConnectionIdFeature, IConnectionTransportFeature, IConnectionItemsFeature,
    IMemoryPoolFeature, IConnectionEndPointFeature, IConnectionSocketFeature, IConnectionLifetimeFeature
{
    Socket IConnectionSocketFeature.Socket => Socket;

    private FeatureCollection CreateFeatures()
    {
        var features = new FeatureCollection();
        features.Set<IConnectionIdFeature>(this);
        features.Set<IConnectionTransportFeature>(this);
        features.Set<IConnectionItemsFeature>(this);
        features.Set<IMemoryPoolFeature>(this);
        features.Set<IConnectionEndPointFeature>(this);
        features.Set<IConnectionSocketFeature>(this);
        features.Set<IConnectionLifetimeFeature>(this);
        return features;
    }
}
